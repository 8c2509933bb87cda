"""Stand-ins for what replies are sent to, each a real server on loopback: an SMTP relay (aiosmtpd) and a
Twilio REST API that checks each request as Twilio would receive it."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.e2e.server import free_port

TWILIO_SID = "AC00000000000000000000000000000001"
TWILIO_TOKEN = "twilio-auth-token-0123456789abcdef"


class _RelayHandler:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.relay.lock:
            self.relay.attempts += 1
            if self.relay.refuse_next > 0:
                self.relay.refuse_next -= 1
                return "451 4.3.0 Try again later"
            raw = envelope.original_content or b""
            self.relay.received.append(message_from_bytes(raw, policy=policy.default))
            self.relay.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos)))
        return "250 2.0.0 OK"


@dataclass
class Relay:
    """An SMTP relay on a free loopback port that refuses the next ``refuse_next`` mails (451), then keeps
    what it is given. ``with Relay() as relay:``; ``relay.address`` is its ``host:port``."""

    refuse_next: int = 0
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    attempts: int = 0
    port: int = field(default_factory=free_port)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.controller = Controller(_RelayHandler(self), hostname="127.0.0.1", port=self.port)

    @property
    def address(self) -> str:
        """``host:port`` for ``SWITCHBOARD_SMTP_RELAY``."""
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> Relay:
        self.controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.controller.stop()


@dataclass
class TwilioApi:
    """Twilio's Messages API on a free loopback port: each request is checked (path of the account, HTTP Basic
    auth with the account SID and auth token, form fields To, From and Body) and recorded; a good one gets a
    201 with a new message SID, a bad one the 4xx Twilio would answer."""

    port: int = field(default_factory=free_port)
    sent: list[dict[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """For ``SWITCHBOARD_TWILIO_API_BASE_URL``."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> TwilioApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = api.answer(self.path, self.headers.get("Authorization", ""), form)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def answer(self, path: str, authorization: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Twilio's answer to one request."""
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if authorization != expected:
            self.refused.append("auth")
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
            self.refused.append(f"path {path}")
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        if not {"To", "From", "Body"} <= form.keys():
            self.refused.append(f"fields {sorted(form)}")
            return 400, {"code": 21604, "message": "A 'To' phone number is required.", "status": 400}
        self.sent.append(form)
        sid = f"SM{len(self.sent):032d}"
        return 201, {"sid": sid, "account_sid": TWILIO_SID, "to": form["To"], "from": form["From"],
                     "body": form["Body"], "status": "queued"}  # fmt: skip

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
