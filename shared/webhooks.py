"""Outbound webhooks, the pure parts: event types, the payload, its signature, the retry schedule and which
target addresses are refused. The gateway checks subscriptions with these; the router's worker delivers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import socket
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final, Literal, get_args
from urllib.parse import urlsplit

EventType = Literal[
    "message.routed",
    "assignment.offered",
    "assignment.accepted",
    "assignment.rejected",
    "assignment.expired",
    "assignment.requeued",
    "assignment.completed",
    "assignment.transferred",
    "assignment.escalated",
    "assignment.withdrawn",
    "sla.warning",
    "sla.breached",
    "conversation.reply",
    "conversation.reply_failed",
]
"""What a subscription may ask for: the activity log's types that concern an integration."""
EVENT_TYPES: Final = get_args(EventType)

SIGNATURE_HEADER: Final = "Switchboard-Signature"

_IDS: Final = ("conversation_id", "assignment_id", "message_id", "queue", "agent_id", "previous_agent_id")
_DETAILS: Final = frozenset(
    {"status", "reason", "outcome", "ruleset_version", "sla_state", "from_agent", "to_agent", "to_queue",
     "escalated", "priority", "reply_id", "channel", "disposition", "attempts", "by", "taken"}
)  # fmt: skip
"""Activity details that may leave: ids, states and counts, never text, addresses or provider errors."""


class TargetRefused(ValueError):
    """A webhook URL that may not be called: not http(s), or an address that is not public."""


def payload(event_id: str, type_: str, at: datetime, ids: Mapping[str, object], detail: Mapping[str, object]) -> bytes:
    """The JSON body of one event: ``{"id", "type", "at", "data"}``, with ids and states only."""
    data = {k: ids[k] for k in _IDS if ids.get(k) is not None}
    data.update({k: v for k, v in detail.items() if k in _DETAILS and isinstance(v, str | int | float | bool)})
    body = {"id": event_id, "type": type_, "at": at.isoformat().replace("+00:00", "Z"), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Switchboard-Signature`` value: ``t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of ``now`` (receivers)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    expected = sign(secret, timestamp, body).split(",v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...): ``base`` doubled each time, at most
    ``cap``."""
    return float(min(cap, base * 2 ** min(attempt - 1, 62)))


def next_attempt(attempt: int, age: float, *, base: float, cap: float, retry_for: float) -> float | None:
    """The delay before the next try after failed attempt ``attempt`` of an event first due ``age`` seconds
    ago, or None when that try would fall outside the retry window (the delivery is parked)."""
    delay = backoff(attempt, base, cap)
    return None if age + delay > retry_for else delay


def settled(cursor: int, ids: Iterable[int], first_missing: dict[int, float], now: float, settle: float) -> int:
    """How far a fan-out cursor may advance over the activity ids it read after ``cursor``.

    On PostgreSQL a lower id can commit after a higher one is visible: a missing id is waited for until it has
    been missing ``settle`` seconds (it was rolled back), timed in ``first_missing`` (id -> when first seen
    missing, by a monotonic clock). Rows past the cursor are read again until it moves, so none is skipped,
    and a conversation's events are fanned out in the order of their ids.
    """
    expected = cursor + 1
    for found in sorted(i for i in ids if i > cursor):
        while expected < found:
            if now - first_missing.setdefault(expected, now) < settle:
                return expected - 1
            expected += 1
        expected = found + 1
    return expected - 1


def is_public(address: str) -> bool:
    """Whether an IP address is globally routable (not private, loopback, link-local, multicast, reserved)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target(url: str) -> tuple[str, int]:
    """The host and port a webhook URL names; refuses other schemes, credentials and literal non-public IPs."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("the URL must be http:// or https:// with a host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("the URL must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("the URL's port is not valid") from None
    return parts.hostname, port


def check_addresses(addresses: Iterable[str], *, allow_private: bool) -> None:
    """Refuse a target when any address it resolves to is not public (unless private targets are allowed)."""
    found = list(addresses)
    if not found:
        raise TargetRefused("the URL's host does not resolve")
    if not allow_private and not all(is_public(a) for a in found):
        raise TargetRefused("the URL's host is a private, loopback or otherwise non-public address")


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (empty when it does not)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


async def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse a webhook URL that is malformed or whose host resolves to a non-public address."""
    host, port = target(url)
    check_addresses(await resolve(host, port), allow_private=allow_private)


__all__ = [
    "EVENT_TYPES",
    "SIGNATURE_HEADER",
    "EventType",
    "TargetRefused",
    "backoff",
    "check_addresses",
    "check_url",
    "is_public",
    "next_attempt",
    "payload",
    "resolve",
    "settled",
    "sign",
    "target",
    "verify",
]
