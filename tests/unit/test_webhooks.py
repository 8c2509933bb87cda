"""The pure parts of outbound webhooks: signature, retry schedule, refused addresses, fan-out cursor, payload."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.webhooks import (
    TargetRefused,
    backoff,
    check_addresses,
    is_public,
    next_attempt,
    payload,
    settled,
    sign,
    target,
    verify,
)

NOT_PUBLIC = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.2.0/24",
    "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::1/128", "::/128", "fc00::/7", "fe80::/10", "ff00::/8", "2001:db8::/32",
)]  # fmt: skip
PUBLIC = [ipaddress.ip_network(n) for n in ("8.8.8.0/24", "1.1.1.0/24", "151.101.0.0/16", "2606:4700::/32")]


def addresses_in(networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> st.SearchStrategy[str]:
    return st.sampled_from(networks).flatmap(
        lambda n: st.integers(0, n.num_addresses - 1).map(lambda i: str(n.network_address + i))
    )


@given(addresses_in(NOT_PUBLIC))
def test_private_loopback_link_local_and_reserved_addresses_are_refused(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(TargetRefused):
        check_addresses([address], allow_private=False)
    check_addresses([address], allow_private=True)


@given(addresses_in([n for n in NOT_PUBLIC if n.version == 4]))
def test_ipv4_mapped_ipv6_does_not_hide_a_private_address(address: str) -> None:
    assert not is_public(f"::ffff:{address}")


@given(addresses_in(PUBLIC), addresses_in(NOT_PUBLIC))
def test_public_addresses_pass_unless_the_name_also_resolves_privately(public: str, private: str) -> None:
    assert is_public(public)
    check_addresses([public], allow_private=False)
    with pytest.raises(TargetRefused):
        check_addresses([public, private], allow_private=False)


def test_a_host_that_does_not_resolve_is_refused_even_when_private_is_allowed() -> None:
    with pytest.raises(TargetRefused):
        check_addresses([], allow_private=True)


@pytest.mark.parametrize("url", ["ftp://example.com/", "http:///path", "https://u:p@example.com/", "http://h:99999/"])
def test_urls_that_are_not_plain_http_targets_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        target(url)


def test_target_defaults_the_port_by_scheme() -> None:
    assert target("https://hooks.example.com/x") == ("hooks.example.com", 443)
    assert target("http://[2606:4700::1]:8080/x") == ("2606:4700::1", 8080)


@given(st.text(min_size=1), st.integers(0, 2**33), st.binary())
def test_signature_is_hmac_sha256_of_timestamp_dot_body(secret: str, t: int, body: bytes) -> None:
    expected = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    assert sign(secret, t, body) == f"t={t},v1={expected}"
    assert verify(secret, sign(secret, t, body), body, now=t)


def test_verify_refuses_tampering_another_secret_and_stale_timestamps() -> None:
    header = sign("s3cret-0123456789", 1_700_000_000, b'{"id":"1"}')
    assert not verify("s3cret-0123456789", header, b'{"id":"2"}', now=1_700_000_000)
    assert not verify("another-secret-000", header, b'{"id":"1"}', now=1_700_000_000)
    assert not verify("s3cret-0123456789", header, b'{"id":"1"}', now=1_700_000_000 + 301)
    assert not verify("s3cret-0123456789", "t=x,v1=00", b'{"id":"1"}', now=1_700_000_000)


def test_backoff_doubles_from_the_base_up_to_the_cap() -> None:
    assert [backoff(n, 10, 3600) for n in range(1, 11)] == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]
    assert backoff(10_000, 10, 3600) == 3600


@given(st.floats(0.01, 100), st.floats(60, 10_000), st.floats(1, 200_000))
def test_retries_stay_within_the_window_then_park(base: float, cap: float, retry_for: float) -> None:
    age, attempt = 0.0, 1
    while (delay := next_attempt(attempt, age, base=base, cap=cap, retry_for=retry_for)) is not None:
        assert delay == min(cap, base * 2.0 ** min(attempt - 1, 1000))
        age, attempt = age + delay, attempt + 1
        assert age <= retry_for
    assert age + backoff(attempt, base, cap) > retry_for


def test_default_schedule_retries_for_a_day() -> None:
    age, attempts = 0.0, 1
    while (delay := next_attempt(attempts, age, base=10, cap=3600, retry_for=86_400)) is not None:
        age, attempts = age + delay, attempts + 1
    assert attempts == 32, "32 attempts, the last about 23 hours after the first"
    assert 82_800 < age <= 86_400


@given(
    st.integers(0, 50),
    st.sets(st.integers(1, 80)),
    st.dictionaries(st.integers(1, 80), st.floats(0, 100)),
    st.floats(0, 100),
)
def test_the_cursor_never_passes_a_recently_missing_id(
    cursor: int, present: set[int], missing_since: dict[int, float], now: float
) -> None:
    settle = 10.0
    first_missing = {k: min(v, now) for k, v in missing_since.items()}
    old = {k for k, v in first_missing.items() if now - v >= settle}
    upto = settled(cursor, present, first_missing, now, settle)
    expected, top = cursor, max((i for i in present if i > cursor), default=cursor)
    while expected < top and (expected + 1 in present or expected + 1 in old):
        expected += 1
    assert upto == expected
    assert all(now - first_missing[i] >= settle for i in range(cursor + 1, upto + 1) if i not in present)


def test_payload_carries_ids_and_states_never_text_or_addresses() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    ids = {"conversation_id": "c1", "assignment_id": "a1", "message_id": None, "queue": "returns"}
    detail = {"status": "accepted", "notes": "customer +4531000000 is angry", "text": "hello", "to_queue": "vip",
              "error": "550 <kunde@example.dk>: no such user", "nested": {"status": "x"}}  # fmt: skip
    body = json.loads(payload("d1", "assignment.accepted", at, ids, detail))
    assert body == {
        "id": "d1",
        "type": "assignment.accepted",
        "at": "2026-01-02T03:04:05Z",
        "data": {"conversation_id": "c1", "assignment_id": "a1", "queue": "returns", "status": "accepted",
                 "to_queue": "vip"},
    }  # fmt: skip
