"""Replies to customers leave here: a sender loop beside each router, and a port per channel."""

from __future__ import annotations

from router.outbound.backoff import Backoff
from router.outbound.ports import Outgoing, ReplyPort, SendFailed, ports_for
from router.outbound.sender import ReplySender

__all__ = ["Backoff", "Outgoing", "ReplyPort", "ReplySender", "SendFailed", "ports_for"]
