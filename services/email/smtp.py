"""The SMTP listener (aiosmtpd), on the process's own event loop: 250 only once a mail is durable.

Recipients outside ``SWITCHBOARD_MAIL_DOMAINS`` get 550, mail over ``SWITCHBOARD_MAIL_MAX_BYTES`` 552, and a
mail that cannot be made durable (the bus is down) 451, so the sending server keeps it and retries.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiosmtpd.smtp import SMTP, Envelope, Session

from services.common import AdapterDeps
from services.email.accept import accept_mail
from services.email.mime import parse_mime
from services.email.parse import content_id
from shared.errors import BusUnavailable
from shared.settings import Settings

log = logging.getLogger(__name__)
MAX_RECIPIENTS = 100
INLINE_PARSE_BYTES = 256 * 1024
"""Mails up to this size are parsed on the event loop; bigger ones in a worker thread."""


class MailHandler:
    """aiosmtpd handler: checks each recipient's domain, accepts the data once it is published."""

    def __init__(self, deps: AdapterDeps) -> None:
        self.deps = deps
        self.domains = frozenset(d.lower().rstrip(".") for d in deps.settings.mail_domains)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        """550 for a mailbox outside our domains; 452 past the recipient limit."""
        domain = address.rpartition("@")[2].lower().rstrip(".")
        if domain not in self.domains:
            return "550 5.1.1 Mailbox unavailable: this server receives mail only for its own domains"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Parse, store attachments, publish; 250 only after the bus made the mail durable."""
        raw = envelope.original_content or b""
        try:
            mail = parse_mime(raw) if len(raw) <= INLINE_PARSE_BYTES else await asyncio.to_thread(parse_mime, raw)
            await accept_mail(
                mail,
                deps=self.deps,
                provider="smtp",
                recipient=envelope.rcpt_tos[0] if envelope.rcpt_tos else None,
                fallback_id=content_id(raw),
                envelope_sender=envelope.mail_from,
            )
        except BusUnavailable:
            return "451 4.3.0 Temporarily unable to accept the message; please try again later"
        except Exception as exc:  # an answer, never a dropped session; the log names the error, not the mail
            log.error("smtp: could not accept a message", extra={"error": type(exc).__name__})
            return "451 4.3.0 Temporarily unable to accept the message; please try again later"
        return "250 2.0.0 Message accepted for delivery"


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_PATH = re.compile(rf"<({_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>(.*)", re.DOTALL)
"""``<local@domain>`` with a dot-atom local part and a plain domain, then the command's parameters."""


class Listener(SMTP):
    """aiosmtpd's SMTP session, with cheaper MAIL FROM / RCPT TO address parsing.

    aiosmtpd 1.4's ``_getaddr`` defines a ``typing.Protocol`` class on every call (for an annotation) and runs
    the email package's full RFC 5322 parser on every path: together about a fifth of the listener's CPU for a
    small mail. A plain ``<local@domain>`` (nearly every real one) is read by a regular expression, to the same
    result; anything else (quoted local parts, address literals, ``<>``, UTF-8) by aiosmtpd's own parser.
    """

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        plain = _PLAIN_PATH.fullmatch(arg)
        if plain is None:
            return super()._getaddr(arg)
        addr, rest = plain.group(1), plain.group(2)
        if rest[:1] in (" ", "\t"):
            rest = rest.lstrip()  # as the email package's parser drops folding white space after the path
        if rest.startswith("("):
            return super()._getaddr(arg)  # a comment: the full parser's
        if self.local_part_limit and len(addr.rpartition("@")[0]) > self.local_part_limit:
            return None, None
        return addr, rest


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """The STARTTLS context when a certificate and key are configured."""
    if settings.smtp_tls_cert is None or settings.smtp_tls_key is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(settings.smtp_tls_cert, settings.smtp_tls_key)
    return context


@asynccontextmanager
async def smtp_listener(deps: AdapterDeps, *, port: int | None = None) -> AsyncIterator[asyncio.Server]:
    """Listen on ``host``:``smtp_port`` (or ``port``; 0 picks a free one) until the block ends."""
    settings = deps.settings
    logging.getLogger("mail.log").setLevel(max(logging.WARNING, logging.getLogger().level))  # it logs peers
    handler = MailHandler(deps)
    context = tls_context(settings)
    loop = asyncio.get_running_loop()

    def protocol() -> SMTP:
        return Listener(
            handler,
            data_size_limit=settings.mail_max_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            ident="Switchboard ESMTP",
            tls_context=context,
            timeout=120,
            loop=loop,
        )

    server = await loop.create_server(protocol, host=settings.host, port=settings.smtp_port if port is None else port)
    try:
        yield server
    finally:
        server.close()
        await server.wait_closed()


def bound_port(server: asyncio.Server) -> int:
    """The port a listener is bound to (the one chosen for port 0)."""
    port: int = server.sockets[0].getsockname()[1]
    return port
