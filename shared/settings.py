"""Settings for every Switchboard process, read from ``SWITCHBOARD_*`` environment variables."""

from __future__ import annotations

import math
import os
import socket
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import Role
from shared.topics import Topics

BusKind = Literal["embedded", "kafka"]

DEFAULT_DB_PATH = Path("var") / "switchboard.db"
DEFAULT_RATE_LIMITS: dict[Role, tuple[float, int]] = {
    "integration": (1000.0, 2000),
    "admin": (200.0, 1000),
    "supervisor": (50.0, 200),
    "ops": (50.0, 200),
    "agent": (20.0, 100),
}
"""Requests per second and burst, per API key of each role."""
MIN_ADMIN_KEY_BITS = 48.0
"""Length times per-character Shannon entropy: a random 16-character hex key has about 55."""
INSECURE_KEYS = frozenset({"changeme", "admin", "secret", "password", "test"})


class Settings(BaseSettings):
    """Process configuration; one object built in each composition root, never at import time."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    router_port: int | None = Field(default=None, ge=0, le=65535)
    """Where ``switchboard router`` serves /healthz and /metrics (on ``host``); unset, it serves no HTTP."""
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
    bus: BusKind | None = None
    kafka_bootstrap: str | None = None
    kafka_partitions: int = Field(default=12, ge=1)
    kafka_client_id: str = "switchboard"
    topic_namespace: str = Field(default="", pattern=r"^[A-Za-z0-9._-]{0,64}$")
    admin_key: SecretStr | None = None
    seed_demo: bool = True
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_header_bytes: int = Field(default=16 * 1024, ge=1024, le=1024 * 1024)
    """Request headers over this many bytes in all get 431."""
    max_header_count: int = Field(default=64, ge=8, le=1000)
    """Requests with more header lines than this get 431."""
    rate_limits: dict[Role, tuple[float, int]] = Field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    """Per API key, by role: (requests per second, burst). Per gateway process."""
    auth_failures_per_minute: int = Field(default=30, ge=1)
    """Failed authentications one client address may make per minute before it gets 429 (per process)."""
    log_level: str = "INFO"
    router_batch_size: int = Field(default=256, ge=1)
    router_poll_seconds: float = Field(default=0.05, gt=0)
    away_grace_seconds: int = Field(default=300, ge=0)
    activity_retention_days: int = Field(default=14, ge=1, le=3650)
    """How long the activity log (what event streams replay and webhooks fan out) and ended webhook deliveries
    are kept; routers prune older rows once a minute (activity a subscription has not fanned out is kept)."""
    sticky_window_seconds: int = Field(default=7 * 24 * 3600, ge=0)
    ingest_flush_max: int = Field(default=512, ge=1)
    spool_dir: Path = Path("var") / "spool"
    """With Kafka: where records the broker did not acknowledge within 2 s wait (fsynced), forwarded in order.
    Give each gateway a persistent volume here; a process forwards the files of dead ones it finds."""
    instance_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    languages: tuple[str, ...] = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")

    # Push to agents (long-poll and Server-Sent Events), read from the activity table by every gateway process.
    push_poll_seconds: float = Field(default=0.2, gt=0, le=10)
    """How often a gateway process reads new activity while anyone listens (the added latency, at most)."""
    push_heartbeat_seconds: float = Field(default=15.0, gt=0, le=300)
    """An event stream idle this long gets a comment line, so proxies and clients see it is alive."""
    push_max_wait_seconds: float = Field(default=30.0, gt=0, le=30)
    """The longest a long-poll is held, whatever ``wait`` asks (below a proxy's idle timeout)."""
    push_stream_max_seconds: float = Field(default=3600.0, gt=0)
    """An event stream is ended after this long; the client reconnects with ``Last-Event-ID``, losing nothing."""
    push_replay_max: int = Field(default=1000, ge=1, le=100_000)
    """Activity rows a resumed stream replays at most; a longer gap gets ``stream.reset`` instead."""
    push_longpolls_per_key: int = Field(default=5, ge=1, le=10_000)
    """Long-polls one API key may hold open at once in one gateway process; one more gets 429."""
    push_streams_per_key: int = Field(default=5, ge=1, le=10_000)
    """Event streams one API key may hold open at once in one gateway process; one more gets 429."""

    # Channel adapters (services/). Each adapter whose secret is unset refuses its traffic with a clear problem.
    adapters: bool = True
    """Run the channel adapters (webhooks, SMTP listener, chat socket) inside ``switchboard run``."""
    public_url: str | None = None
    """The URL providers call us at (Twilio signs it); default ``http://127.0.0.1:<port>``."""
    blob_dir: Path = Path("var") / "blobs"
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    message_attachments_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    smtp_port: int = Field(default=2525, ge=0, le=65535)
    mail_domains: tuple[str, ...] = ("example.com", "localhost")
    mail_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None
    mailgun_signing_key: SecretStr | None = None
    sendgrid_username: str | None = None
    sendgrid_password: SecretStr | None = None
    postmark_username: str | None = None
    postmark_password: SecretStr | None = None
    webhook_max_age_seconds: int = Field(default=300, ge=1, le=86_400)
    auto_reply_queue: str | None = Field(default=None, min_length=1, max_length=64)
    """Where flagged mail (auto-replies, bounces, list mail) is filed, never offered; unset, it is dropped
    (stored, with a decision of outcome ``dropped`` and an audit entry)."""
    twilio_auth_token: SecretStr | None = None
    vonage_signature_secret: SecretStr | None = None
    vonage_allow_unsigned: bool = False
    """Accept unsigned Vonage webhooks when no signature secret is set (accounts without signed webhooks)."""
    mms_fetch: bool = False
    """Fetch MMS media from the provider's media hosts into the blob store; off, they stay URL references."""
    mms_fetch_timeout_seconds: float = Field(default=8.0, gt=0, le=60)
    chat_origins: tuple[str, ...] = ()
    """Origins (``https://shop.example``) whose pages may open the web chat; empty, only this gateway's own
    origin; ``"*"``, any page. Clients that send no Origin (not a browser) are not refused by it."""
    chat_identity_secret: SecretStr | None = None
    """The secret a website signs its logged-in visitor's address with (identity verification): set, only an
    identify that carries ``signature`` = hex HMAC-SHA256(secret, the email or phone as sent) links the chat
    to the known contact; unset, every identify is trusted (and marked unverified)."""
    fax_senders: tuple[str, ...] | None = None
    """Sender domains of fax-to-email services; unset, the adapters' built-in list."""
    ocr_max_pages: int = Field(default=20, ge=1, le=500)
    ocr_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    chat_max_message_chars: int = Field(default=4000, ge=1, le=100_000)
    chat_max_frame_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    """A bigger WebSocket frame closes the socket (1009); so does one over the REST body limit."""
    chat_messages_per_minute: int = Field(default=30, ge=1, le=10_000)
    """Frames a chat session may send per minute, after a burst of ``chat_burst``; more get rate-limited
    errors, and as many again unheeded close the socket (1008)."""
    chat_burst: int = Field(default=10, ge=1, le=10_000)
    chat_sockets_per_session: int = Field(default=5, ge=1, le=100)
    """Sockets one chat session may hold open at once in one process (tabs of the same visitor); one more is
    refused with a ``too-many-sockets`` error and closed (1008)."""
    chat_session_idle_days: int = Field(default=30, ge=1, le=3650)
    """A chat session not resumed for this long is forgotten: its resume token stops working."""

    # Replies to customers (the outbound ports a router's reply sender uses).
    smtp_relay: str | None = Field(default=None, pattern=r"^[^\s:]+:\d{1,5}$")
    """``host:port`` of the SMTP relay email (and fax) replies go to; unset, they fail with that reason."""
    smtp_relay_starttls: bool = False
    """Upgrade the relay connection with STARTTLS (required when credentials are set, unless to loopback)."""
    smtp_relay_username: str | None = None
    smtp_relay_password: SecretStr | None = None
    smtp_relay_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    mail_from: str | None = Field(default=None, max_length=320)
    """The From address of email replies; default ``support@`` the first of ``mail_domains``."""
    twilio_account_sid: str | None = None
    twilio_from: str | None = None
    """The number SMS replies come from when the customer's own message did not say which it reached."""
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = Field(default=15.0, gt=0, le=120)
    reply_max_attempts: int = Field(default=8, ge=1, le=100)
    """Send attempts of one reply before it is marked ``failed``."""
    reply_retry_base_seconds: float = Field(default=30.0, gt=0, le=86_400)
    """The wait after the first failed attempt; it doubles after each further one (with jitter)."""
    reply_retry_max_seconds: float = Field(default=3600.0, gt=0, le=86_400)
    reply_lease_seconds: float = Field(default=120.0, gt=0, le=3600)
    """How long a router holds a reply it is sending before another may take it over."""
    reply_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    """How often a router's reply sender (and each process's chat push) looks for replies to send."""
    # Outbound webhooks (delivered by a worker beside each router).
    webhook_allow_private: bool = False
    """Allow webhook targets on private, loopback and link-local addresses (tests, closed networks)."""
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_backoff_seconds: float = Field(default=10.0, gt=0, le=86_400)
    """The wait after the first failed attempt; it doubles after each further one, up to the cap below."""
    webhook_backoff_max_seconds: float = Field(default=3600.0, gt=0, le=86_400)
    webhook_retry_seconds: float = Field(default=86_400.0, gt=0, le=30 * 86_400)
    """How long an event is retried before it is parked (shown as ``parked`` in its deliveries)."""
    webhook_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    webhook_batch: int = Field(default=100, ge=1, le=10_000)

    @model_validator(mode="after")
    def _check(self) -> Settings:
        """Refuse insecure admin keys and infer the bus from the Kafka bootstrap address."""
        if self.admin_key is not None:
            key = self.admin_key.get_secret_value()
            if len(key) < 16 or key.lower() in INSECURE_KEYS or key.lower().startswith("replace_me"):
                raise ValueError("SWITCHBOARD_ADMIN_KEY must be at least 16 characters and not a default")
            if key_entropy_bits(key) < MIN_ADMIN_KEY_BITS or len(set(key)) < 8:
                raise ValueError(
                    "SWITCHBOARD_ADMIN_KEY is too predictable (repeated characters or a short alphabet): "
                    "use a random key, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
                )
        if self.bus is None:
            self.bus = "kafka" if self.kafka_bootstrap else "embedded"
        if self.bus == "kafka" and not self.kafka_bootstrap:
            raise ValueError("SWITCHBOARD_BUS=kafka needs SWITCHBOARD_KAFKA_BOOTSTRAP")
        return self

    @field_validator("rate_limits")
    @classmethod
    def _every_role(cls, value: dict[Role, tuple[float, int]]) -> dict[Role, tuple[float, int]]:
        """Roles not given keep their default; rates and bursts are positive."""
        if any(rate <= 0 or burst < 1 for rate, burst in value.values()):
            raise ValueError("each rate limit is (requests per second > 0, burst >= 1)")
        return DEFAULT_RATE_LIMITS | value

    @property
    def topics(self) -> Topics:
        """The topic names and consumer group this deployment uses."""
        return Topics.for_namespace(self.topic_namespace)

    @property
    def base_url(self) -> str:
        """The public URL providers reach this process at, without a trailing slash."""
        return (self.public_url or f"http://127.0.0.1:{self.port}").rstrip("/")

    @property
    def reply_from(self) -> str:
        """The From address of email replies."""
        return self.mail_from or f"support@{self.mail_domains[0] if self.mail_domains else 'localhost'}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is an SQLite file (embedded mode)."""
        return self.database_url.startswith("sqlite")


def key_entropy_bits(key: str) -> float:
    """An estimate of a key's entropy: its length times the Shannon entropy of its characters.

    ``aaaaaaaaaaaaaaaa`` has 0 bits, ``abababababababab`` 16; a 22-character URL-safe random key about 90.
    """
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)
