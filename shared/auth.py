"""Bearer API keys: generation, hashing and roles. Only a key's SHA-256 is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["integration", "agent", "supervisor", "ops", "admin"]
"""``ops`` changes routing (rulesets, queues, hours, SLA policies, contacts) without managing keys or agents."""
ROLES: tuple[Role, ...] = get_args(Role)
KEY_PREFIX = "sb_"


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly generated key: ``token`` is shown to the user once, the rest is stored."""

    prefix: str
    token: str
    key_hash: str


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, its role and, for agent keys, the agent."""

    key_id: str
    role: Role
    agent_id: str | None = None

    @property
    def actor(self) -> str:
        """A log- and audit-safe name for the caller."""
        return f"{self.role}:{self.key_id}"


def hash_token(token: str) -> str:
    """SHA-256 of a token (keys are 192-bit random, so no slow KDF is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def generate_key() -> NewKey:
    """A new random key ``sb_<prefix>_<secret>``; ``prefix`` finds the row, the hash proves it."""
    prefix = secrets.token_hex(6)
    token = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    return NewKey(prefix=prefix, token=token, key_hash=hash_token(token))


def parse_prefix(token: str) -> str | None:
    """The lookup prefix of a presented token, or None when it is not shaped like one of ours."""
    if not token.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = token[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 12 or not secret:
        return None
    return prefix


def token_matches(token: str, key_hash: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    return hmac.compare_digest(hash_token(token), key_hash)


def bootstrap_prefix(token: str) -> str:
    """A stable lookup prefix for an operator-chosen bootstrap admin key."""
    return "boot" + hash_token(token)[:8]
