"""The outbound ports: one per way a reply leaves (SMTP relay, Twilio REST), behind one small interface.

A port hands one reply to its channel and returns the channel's reference for it, or raises ``SendFailed``
(``permanent`` when trying again cannot help: a refused recipient, a number the provider rejects). Both
clients are blocking libraries (smtplib, the official ``twilio`` package), so each send runs in a thread.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from router.outbound import mail
from shared.settings import Settings

MAX_ERROR = 500


class SendFailed(Exception):
    """The channel did not take the reply; ``reason`` is safe to store and show (no customer data)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:MAX_ERROR]
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply, ready for its channel: who it goes to, from which of our addresses, and what it says."""

    reply_id: str
    channel: str
    recipient: str
    sender: str | None
    subject: str
    text: str
    thread: mail.Thread = field(default_factory=mail.Thread)
    attachments: tuple[mail.FileOut, ...] = ()


class ReplyPort(Protocol):
    """Hands replies to one channel."""

    async def send(self, reply: Outgoing, now: datetime) -> str:
        """Send ``reply``; the channel's reference for it (Message-ID, message SID). Raises ``SendFailed``."""
        ...


class Unconfigured:
    """A channel with no outbound settings: every reply fails, saying which setting is missing."""

    def __init__(self, missing: str) -> None:
        self.missing = missing

    async def send(self, reply: Outgoing, now: datetime) -> str:
        """Refuse: the channel is not configured (tried again, in case the operator sets it meanwhile)."""
        raise SendFailed(f"not configured: set {self.missing}")


class SmtpPort:
    """Email (and fax-by-email) replies through the SMTP relay ``SWITCHBOARD_SMTP_RELAY``."""

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_relay is not None
        host, _, port = settings.smtp_relay.rpartition(":")
        self.host, self.port = host, int(port)
        self.starttls = settings.smtp_relay_starttls
        self.username = settings.smtp_relay_username
        self.password = settings.smtp_relay_password
        self.timeout = settings.smtp_relay_timeout_seconds
        self.sender = settings.reply_from

    async def send(self, reply: Outgoing, now: datetime) -> str:
        """Build the MIME message and hand it to the relay; its Message-ID is the reference."""
        message = mail.build(
            reply_id=reply.reply_id,
            sender=reply.sender or self.sender,
            sender_name=None,
            recipient=reply.recipient,
            subject=reply.subject,
            text=reply.text,
            thread=reply.thread,
            attachments=reply.attachments,
            now=now,
        )
        await asyncio.to_thread(self._deliver, message, reply.sender or self.sender, reply.recipient)
        return str(message["Message-ID"])

    def _deliver(self, message: object, sender: str, recipient: str) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self.username is not None and self.password is not None:
                    smtp.login(self.username, self.password.get_secret_value())
                smtp.send_message(message, from_addr=sender, to_addrs=[recipient])  # type: ignore[arg-type]
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise SendFailed(f"relay refused the recipient ({codes[0] if codes else '?'})",
                             permanent=all(500 <= c < 600 for c in codes) and bool(codes)) from None  # fmt: skip
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"relay answered {exc.smtp_code}", permanent=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"relay unreachable: {type(exc).__name__}") from None


class TwilioPort:
    """SMS replies through the Twilio REST API (the official package; base URL configurable)."""

    def __init__(self, settings: Settings) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        assert settings.twilio_account_sid is not None
        assert settings.twilio_auth_token is not None
        http = TwilioHttpClient(timeout=settings.twilio_timeout_seconds)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(),
                             http_client=http)  # fmt: skip
        self.client.api.base_url = settings.twilio_api_base_url.rstrip("/")
        self.default_from = settings.twilio_from

    async def send(self, reply: Outgoing, now: datetime) -> str:
        """Create the message; its SID is the reference."""
        sender = reply.sender or self.default_from
        if not sender:
            raise SendFailed("no number to send from: set SWITCHBOARD_TWILIO_FROM", permanent=False)
        return await asyncio.to_thread(self._create, reply.recipient, sender, reply.text)

    def _create(self, to: str, sender: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            created = self.client.messages.create(to=to, from_=sender, body=body)
        except TwilioRestException as exc:
            permanent = 400 <= exc.status < 500 and exc.status not in (401, 403, 408, 429)
            raise SendFailed(f"twilio answered {exc.status} (code {exc.code})", permanent=permanent) from None
        except (TwilioException, OSError) as exc:
            raise SendFailed(f"twilio unreachable: {type(exc).__name__}") from None
        except Exception as exc:  # requests' errors (connection refused, timeouts) are not Twilio's own
            raise SendFailed(f"twilio unreachable: {type(exc).__name__}") from None
        return str(created.sid)


def ports_for(settings: Settings) -> dict[str, ReplyPort]:
    """The port of each channel a router sends on (chat replies are pushed by the chat service instead)."""
    email: ReplyPort = SmtpPort(settings) if settings.smtp_relay else Unconfigured("SWITCHBOARD_SMTP_RELAY")
    sms: ReplyPort = (
        TwilioPort(settings)
        if settings.twilio_account_sid and settings.twilio_auth_token
        else Unconfigured("SWITCHBOARD_TWILIO_ACCOUNT_SID and SWITCHBOARD_TWILIO_AUTH_TOKEN")
    )
    return {"email": email, "fax": email, "sms": sms}


__all__ = ["Outgoing", "ReplyPort", "SendFailed", "SmtpPort", "TwilioPort", "Unconfigured", "ports_for"]
