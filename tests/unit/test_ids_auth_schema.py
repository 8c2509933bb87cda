"""Identifiers, keys and the message schema."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.auth import generate_key, hash_token, token_matches
from shared.ids import new_id, random_hex, uuid7
from shared.schema import InboundMessage, Sender
from shared.settings import Settings


def test_uuid7_is_time_ordered_and_version_7() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 for i in ids)


def test_new_ids_are_uuid7_strings_in_canonical_form_and_time_ordered() -> None:
    ids = [new_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 7 for i in ids)
    mixed = [new_id() if i % 2 else str(uuid7()) for i in range(1000)]
    assert mixed == sorted(mixed), "both share one clock and counter"


def test_random_hex_is_unique_across_many_pool_refills() -> None:
    tokens = [random_hex(16) for _ in range(2000)]  # 32 KB: the 4 KiB pool refilled several times
    assert all(len(t) == 32 and int(t, 16) >= 0 for t in tokens)
    assert len(set(tokens)) == len(tokens)
    assert len(random_hex(5000)) == 10000, "a request larger than the pool is served whole"


def test_a_forked_child_never_repeats_its_parents_random_bytes() -> None:
    random_hex(1)  # the pool is filled: a child that kept it would take the parent's next bytes
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next token and id, then leave without running pytest's teardown
        os.write(write, f"{random_hex(16)} {new_id()}".encode())
        os._exit(0)
    os.close(write)
    child_token, child_id = os.read(read, 200).decode().split()
    os.close(read)
    os.waitpid(pid, 0)
    assert child_token != random_hex(16)
    assert child_id != new_id()
    assert uuid.UUID(child_id).version == 7


def test_generated_keys_are_unique_and_only_their_hash_matches() -> None:
    a, b = generate_key(), generate_key()
    assert a.token != b.token
    assert a.token.startswith("sb_")
    assert token_matches(a.token, a.key_hash)
    assert not token_matches(b.token, a.key_hash)
    assert hash_token(a.token) == a.key_hash


def _message(**overrides: object) -> InboundMessage:
    values: dict[str, object] = {
        "id": str(uuid7()),
        "channel": "sms",
        "provider": "api",
        "received_at": datetime.now(UTC),
        "sender": Sender(kind="phone", address="+4520123456"),
        "conversation_key": "k",
        "text": "hej",
    }
    values.update(overrides)
    return InboundMessage(**values)  # type: ignore[arg-type]


def test_message_round_trips_through_bytes() -> None:
    message = _message()
    assert InboundMessage.from_bytes(message.to_bytes()) == message


def test_message_schema_refuses_unknown_fields_and_versions() -> None:
    with pytest.raises(ValidationError):
        _message(surprise=1)
    with pytest.raises(ValidationError):
        _message(schema_version=2)


def test_message_is_frozen() -> None:
    with pytest.raises(ValidationError):
        _message().text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("key", ["short", "changeme-but-long-enough"[:7], "password"])
def test_settings_refuse_weak_admin_keys(key: str) -> None:
    with pytest.raises(ValidationError):
        Settings(admin_key=key)


@pytest.mark.parametrize(
    "key", ["a" * 32, "ab" * 16, "abcd" * 8, "1111111111111111111111112", "REPLACE_ME_WITH_32_RANDOM_CHARACTERS"]
)
def test_settings_refuse_long_admin_keys_with_too_little_entropy(key: str) -> None:
    with pytest.raises(ValidationError, match=r"predictable|default"):
        Settings(admin_key=key)


@pytest.mark.parametrize("key", ["3f9a1c07be42d8e5", "Zr4-q8Lw_Tn2Xp9sVb6Ym1Kc", "test-admin-key-0123456789abcdef"])
def test_settings_accept_random_looking_admin_keys(key: str) -> None:
    assert Settings(admin_key=key).admin_key is not None


def test_rate_limits_keep_defaults_for_roles_not_configured() -> None:
    limits = Settings(rate_limits={"agent": (1.0, 5)}).rate_limits
    assert limits["agent"] == (1.0, 5)
    assert limits["integration"] == (1000.0, 2000)
    with pytest.raises(ValidationError):
        Settings(rate_limits={"agent": (0, 5)})


def test_settings_pick_kafka_when_a_bootstrap_is_given() -> None:
    assert Settings().bus == "embedded"
    assert Settings(kafka_bootstrap="127.0.0.1:9092").bus == "kafka"
    with pytest.raises(ValidationError):
        Settings(bus="kafka")
