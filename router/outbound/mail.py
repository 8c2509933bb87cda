"""An email reply as MIME (pure): From, To, Subject, a Message-ID of our own and the headers that thread it.

The Message-ID is derived from the reply's id, so a reply sent twice (a router died after the relay took
it and before it was marked sent) carries the same Message-ID, and the customer's client shows it once.
``In-Reply-To`` names the customer's message, ``References`` its thread root and it, so the customer's client
threads the reply and its answer keeps the thread root as the first reference (the email adapter keys the
conversation by that root).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

MAX_SUBJECT = 998


@dataclass(frozen=True, slots=True)
class Thread:
    """The customer's message a reply answers: its Message-ID and its thread's root (both bare, no brackets)."""

    message_id: str | None = None
    root: str | None = None


@dataclass(frozen=True, slots=True)
class FileOut:
    """An attachment of a reply, with its bytes."""

    name: str
    content_type: str
    data: bytes


def message_id(reply_id: str, from_address: str) -> str:
    """Our Message-ID for a reply, with the angle brackets: ``<reply-id@domain of From>``."""
    domain = from_address.rpartition("@")[2].lower() or "localhost"
    return f"<{reply_id}@{domain}>"


def _bare(value: str | None) -> str | None:
    """A msg-id without brackets or whitespace, or None when it is not one (a content hash stands in)."""
    if not value:
        return None
    value = value.strip().strip("<>").strip()
    if not value or value.startswith("sha256:") or any(c.isspace() or c in "<>" for c in value):
        return None
    return value


def thread_headers(thread: Thread) -> dict[str, str]:
    """``In-Reply-To`` and ``References`` for a reply in ``thread`` (none when the customer's message had no id)."""
    parent, root = _bare(thread.message_id), _bare(thread.root)
    if parent is None:
        return {} if root is None else {"References": f"<{root}>"}
    chain = [root] if root is not None and root != parent else []
    return {"In-Reply-To": f"<{parent}>", "References": " ".join(f"<{i}>" for i in [*chain, parent])}


def reply_subject(subject: str | None, last_subject: str | None) -> str:
    """The agent's subject, else ``Re:`` and the customer's (not ``Re: Re:``)."""
    if subject and subject.strip():
        return _one_line(subject)[:MAX_SUBJECT]
    base = _one_line(last_subject or "").strip()
    if not base:
        return "Re: your message"
    return (base if base.lower().startswith("re:") else f"Re: {base}")[:MAX_SUBJECT]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build(
    *,
    reply_id: str,
    sender: str,
    sender_name: str | None,
    recipient: str,
    subject: str,
    text: str,
    thread: Thread,
    attachments: Sequence[FileOut] = (),
    now: datetime,
) -> EmailMessage:
    """The MIME message of an email reply."""
    mail = EmailMessage()
    mail["From"] = formataddr((sender_name, sender)) if sender_name else sender
    mail["To"] = recipient
    mail["Subject"] = subject
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id(reply_id, sender)
    for name, value in thread_headers(thread).items():
        mail[name] = value
    mail["Auto-Submitted"] = "no"
    mail.set_content(text)
    for item in attachments:
        maintype, _, subtype = item.content_type.partition("/")
        if not maintype or not subtype or "\n" in item.content_type:
            maintype, subtype = "application", "octet-stream"
        mail.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.name)
    return mail


__all__ = ["FileOut", "Thread", "build", "message_id", "reply_subject", "thread_headers"]
