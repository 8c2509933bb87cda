"""Pure normalization of addresses and conversation keys, shared by every ingest path."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid

import phonenumbers

from shared.schema import AddressKind, Channel

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class AddressInvalid(ValueError):
    """The sender address cannot be normalized for its channel."""


@functools.lru_cache(maxsize=8192)
def normalize_phone(value: str) -> str:
    """Return an E.164 phone number (``+4512345678``) or raise ``AddressInvalid``.

    The number must carry its country code (``+45...``, ``0045...`` or ``tel:+45...``): an SMS or fax
    provider always sends it, and guessing a region would file one customer under two numbers. Numbers are
    checked for a possible length in their country's plan, not against allocated ranges, which change.
    Cached: the same few numbers (ours, returning customers) come back all the time.
    """
    raw = value.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:].split(";", 1)[0]
    digits_first = raw.lstrip("(").lstrip()
    if digits_first.startswith("00"):
        raw = "+" + digits_first[2:]
    if not raw.lstrip().startswith("+"):
        raise AddressInvalid("phone number is not in international (E.164) form")
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        raise AddressInvalid("phone number is not in international (E.164) form") from None
    if not phonenumbers.is_possible_number(number):
        raise AddressInvalid("phone number has an impossible length for its country")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not _E164.match(e164):
        raise AddressInvalid("phone number is not in international (E.164) form")
    return e164


def normalize_email(value: str) -> str:
    """Return the lower-cased addr-spec of an email address or raise ``AddressInvalid``."""
    raw = value.strip()
    if "<" in raw and raw.endswith(">"):
        raw = raw[raw.rindex("<") + 1 : -1]
    raw = raw.strip().lower()
    if not _EMAIL.match(raw) or len(raw) > 320:
        raise AddressInvalid("email address is not a valid addr-spec")
    return raw


def normalize_address(channel: Channel, value: str) -> tuple[AddressKind, str]:
    """Normalize a sender address for its channel: email and fax by kind, SMS as E.164, chat as a session id."""
    if channel == "sms":
        return "phone", normalize_phone(value)
    if channel == "email":
        return "email", normalize_email(value)
    if channel == "fax":
        try:
            return "phone", normalize_phone(value)
        except AddressInvalid:
            return "email", normalize_email(value)
    session = value.strip()
    if not session or len(session) > 320:
        raise AddressInvalid("chat session id must be 1 to 320 characters")
    return "chat_session", session


def normalize_identity(value: str) -> tuple[AddressKind, str]:
    """Normalize a contact's address of either kind: an email address (it has an ``@``) or a phone number."""
    if "@" in value:
        return "email", normalize_email(value)
    return "phone", normalize_phone(value)


def conversation_key(channel: Channel, sender: str, recipient: str | None, thread: str | None = None) -> str:
    """Derive the conversation key: email thread root, SMS sender+recipient pair, chat session, fax number."""
    if channel == "email" and thread:
        basis = f"email:thread:{thread.strip().lower()}"
    elif channel == "sms":
        basis = f"sms:{sender}:{recipient or ''}"
    else:
        basis = f"{channel}:{sender}:{recipient or ''}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


_CONVERSATIONS = uuid.UUID("6f1c1f3e-5d0b-4b8e-9a57-0c9b1c0e6a11")


def conversation_id(key: str) -> str:
    """The conversation's id, derived from its key so ingest can return it before routing."""
    return str(uuid.uuid5(_CONVERSATIONS, key))


def idempotent_message_id(scope: str, idempotency_key: str) -> str:
    """A message id fixed by the caller's Idempotency-Key, so a retried request names the same message."""
    return str(uuid.uuid5(_CONVERSATIONS, f"idempotency:{scope}:{idempotency_key}"))
