"""The chat protocol's pure parts: frames, the normalized message, origins, tokens and allowances."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

import services.chat
from services.chat.limits import Allowance, Hub
from services.chat.parse import (
    FrameInvalid,
    Identify,
    Ping,
    SendText,
    Visitor,
    chat_conversation_id,
    error_frame,
    parse_frame,
    to_inbound,
)
from services.chat.verify import (
    identity_signature,
    identity_verified,
    new_resume_token,
    origin_allowed,
    resume_token_hash,
)
from shared.errors import SignatureInvalid
from shared.schema import InboundMessage
from shared.settings import Settings
from switchboard.bootstrap import build_app

CODES = {"bad-json", "bad-frame", "unknown-type", "empty-text", "text-too-long", "address-invalid"}
MARKED = st.text().map(lambda s: "ZQXJ" + s)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | MARKED,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["type", "text", "client_id", "email", "phone", "name"])
TYPES = st.sampled_from(["message", "identify", "ping", "MESSAGE", "", "ack"])
FRAMES = st.dictionaries(FIELDS, JSON | TYPES, max_size=5)


def _outcome(raw: str | bytes, max_chars: int) -> SendText | Identify | Ping | FrameInvalid:
    try:
        return parse_frame(raw, max_chars=max_chars)
    except FrameInvalid as exc:
        return exc


def _checked(frame: SendText | Identify | Ping | FrameInvalid, max_chars: int) -> None:
    if isinstance(frame, SendText):
        assert 0 < len(frame.text) <= max_chars
        assert frame.text == frame.text.strip()
        assert all(c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cs") for c in frame.text)


@given(st.text() | st.binary())
def test_any_frame_is_a_command_or_a_refusal(raw: str | bytes) -> None:
    outcome = _outcome(raw, 50)
    _checked(outcome, 50)
    if isinstance(outcome, FrameInvalid):
        assert outcome.code in {
            "bad-json",
            "bad-frame",
            "unknown-type",
            "empty-text",
            "text-too-long",
            "address-invalid",
        }


@given(FRAMES)
def test_any_json_object_is_a_command_or_a_refusal_that_never_echoes_it(data: dict[str, object]) -> None:
    raw = json.dumps(data)
    outcome = _outcome(raw, 20)
    _checked(outcome, 20)
    if isinstance(outcome, FrameInvalid):
        assert "ZQXJ" not in outcome.detail


def test_deeply_nested_json_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(FrameInvalid) as refused:
        parse_frame("[" * 200_000 + "]" * 200_000, max_chars=10)
    assert refused.value.code == "bad-json"


@given(st.text(min_size=1, max_size=300), st.none() | st.from_regex(r"[A-Za-z0-9._:-]{1,64}", fullmatch=True))
def test_a_message_becomes_a_valid_inbound_message_in_its_sessions_conversation(text: str, cid: str | None) -> None:
    command = _outcome(json.dumps({"type": "message", "text": text, "client_id": cid}), 300)
    if isinstance(command, FrameInvalid):
        assert command.code == "empty-text"
        assert not text.strip() or not "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs")).strip()
        return
    assert isinstance(command, SendText)
    visitor = Visitor("0190-session", name="Ann", identified_kind="email", identified="ann@example.com")
    message = to_inbound(command, visitor, message_id="m-1", received_at=datetime.now(UTC))
    again = InboundMessage.from_bytes(message.to_bytes())
    assert again == message
    assert message.sender.address == "0190-session"
    assert message.metadata == {"visitor_email": "ann@example.com", "visitor_verified": "false"}
    assert message.external_id == (f"0190-session:{cid}" if cid else None)
    assert message.conversation_key == to_inbound(SendText("x", None), Visitor("0190-session"), message_id="m-2",
                                                  received_at=datetime.now(UTC)).conversation_key  # fmt: skip
    assert chat_conversation_id("0190-session") != chat_conversation_id("0190-other")


def test_identify_normalizes_the_address_and_cleans_the_name() -> None:
    claim = parse_frame('{"type": "identify", "email": " Ann@Example.COM ", "name": "Ann\\u0000 B"}', max_chars=9)
    phone = parse_frame('{"type": "identify", "phone": "+45 20 99 99 99"}', max_chars=9)
    assert claim == Identify("email", "ann@example.com", "Ann B", claimed=" Ann@Example.COM ")
    assert phone == Identify("phone", "+4520999999", None, claimed="+45 20 99 99 99")


def test_an_identify_signature_is_64_hex_digits_read_in_either_case() -> None:
    upper = parse_frame(
        json.dumps({"type": "identify", "phone": "+4520999999", "signature": f" {'AB' * 32} "}), max_chars=9
    )
    assert isinstance(upper, Identify)
    assert upper.signature == "ab" * 32
    for bad in ["ab" * 31, "ab" * 33, "zz" * 32, 42, ["ab" * 32], ""]:
        with pytest.raises(FrameInvalid) as refused:
            parse_frame(json.dumps({"type": "identify", "phone": "+4520999999", "signature": bad}), max_chars=9)
        assert refused.value.code == "bad-frame"


@given(st.text(min_size=1, max_size=40), st.text(max_size=40), st.text(min_size=1, max_size=40))
def test_an_identity_is_verified_only_by_its_own_signature_under_the_secret(
    secret: str, claimed: str, other: str
) -> None:
    key = SecretStr(secret)
    assert identity_verified(key, claimed, identity_signature(secret, claimed)) is True
    assert identity_verified(key, claimed, None) is False, "unsigned: recorded, not vouched for"
    assert identity_verified(None, claimed, identity_signature(secret, claimed)) is False, "no secret, no check"
    if other != claimed:
        with pytest.raises(SignatureInvalid):
            identity_verified(key, other, identity_signature(secret, claimed))
    if other != secret:
        with pytest.raises(SignatureInvalid):
            identity_verified(SecretStr(other), claimed, identity_signature(secret, claimed))


@pytest.mark.parametrize(
    ("origin", "allowed", "expected"),
    [
        (None, (), True),
        ("http://127.0.0.1:8000", (), True),
        ("http://localhost:8000", (), False),
        ("https://shop.example", (), False),
        ("https://shop.example", ("https://shop.example/",), True),
        ("HTTPS://Shop.Example", ("https://shop.example",), True),
        ("https://shop.example.evil", ("https://shop.example",), False),
        ("http://shop.example", ("https://shop.example",), False),
        ("https://any.example", ("*",), True),
        ("null", ("*",), False),
        ("null", ("null",), True),
        ("https://support.example", (), True),
    ],
)
def test_origins(origin: str | None, allowed: tuple[str, ...], expected: bool) -> None:
    ok = origin_allowed(origin, allowed=allowed, host="127.0.0.1:8000", public_url="https://support.example")
    assert ok is expected


def test_resume_tokens_are_random_and_only_well_formed_ones_are_looked_up() -> None:
    tokens = {new_resume_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(resume_token_hash(t) is not None and resume_token_hash(t) != t for t in tokens)
    assert resume_token_hash("short") is None
    assert resume_token_hash("x" * 40 + "'; drop table") is None


@given(st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=200))
def test_an_allowance_never_grants_more_than_its_burst_and_rate(gaps: list[float]) -> None:
    allowance, now, granted = Allowance(per_minute=60, burst=5), 0.0, 0
    for gap in gaps:
        now += gap
        verdict, wait = allowance.take(now)
        granted += verdict == "ok"
        assert (wait > 0) is (verdict == "limited")
    assert granted <= 5 + now * 1.0 + 1e-6


def test_a_visitor_who_waits_as_told_is_never_cut_off_and_one_who_does_not_is() -> None:
    patient, now = Allowance(per_minute=30, burst=2), 0.0
    for _ in range(50):
        verdict, wait = patient.take(now)
        assert verdict != "flood"
        now += wait
    pushy = Allowance(per_minute=30, burst=2)
    verdicts = [pushy.take(0.0)[0] for _ in range(5)]
    assert verdicts == ["ok", "ok", "limited", "limited", "flood"]


def test_the_hub_forgets_idle_allowances_of_closed_sessions_only() -> None:
    hub = Hub()
    hub.join("open", object())  # type: ignore[arg-type]
    hub.allowance("open", per_minute=60, burst=3, now=0.0).take(0.0)
    for i in range(1000):
        hub.allowance(f"s{i}", per_minute=60, burst=3, now=0.0).take(0.0)
    hub.allowance("recent", per_minute=60, burst=3, now=99.0).take(99.0)
    for _ in range(1100):
        hub.allowance("recent", per_minute=60, burst=3, now=100.0)
    assert set(hub.allowances) == {"open", "recent"}


@given(st.floats(min_value=0.001, max_value=120))
def test_the_wait_a_refusal_names_is_never_shorter_than_the_real_one(wait: float) -> None:
    frame = error_frame("rate-limited", "slow down", retry_after=wait)
    assert float(frame["retry_after"]) >= wait  # type: ignore[arg-type]


def test_the_chat_package_exports_its_router_only() -> None:
    assert services.chat.__all__ == ["chat_router"]


def test_the_chat_rest_fallback_is_in_the_openapi_contract(tmp_path: Path) -> None:
    app = build_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"), with_router=False)
    paths = app.openapi()["paths"]
    assert set(paths["/v1/chat/sessions"]) == {"post"}
    assert set(paths["/v1/chat/sessions/{session_id}/messages"]) == {"post"}
    assert set(paths["/v1/chat/sessions/{session_id}/identify"]) == {"post"}
    assert set(paths["/v1/chat/widget.js"]) == {"get"}
    header = paths["/v1/chat/sessions/{session_id}/messages"]["post"]["parameters"][1]
    assert header["name"] == "X-Resume-Token"
