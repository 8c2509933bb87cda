"""The SMS adapter's pure parts: provider formats, Vonage's signature scheme, which media hosts are fetched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.sms.app import MAX_FIELDS, _form_fields
from services.sms.media import host_allowed, public_address
from services.sms.parse import parse_twilio, parse_vonage, to_message
from services.sms.verify import check_twilio, check_vonage, vonage_signature
from shared.errors import InvalidRequest, SignatureInvalid
from shared.settings import Settings
from switchboard.bootstrap import build_app


def test_vonage_signature_matches_vonages_own_published_vector() -> None:
    # The vector of Vonage's Python SDK tests: MD5 hash method, secret "secret".
    params = {"a": "1", "b": "2", "timestamp": "1461605396"}
    assert vonage_signature("secret", params, "md5hash") == "6af838ef94998832dbfc29020b564830"


def test_vonage_signature_replaces_separators_in_values_and_ignores_sig() -> None:
    plain = vonage_signature("s", {"text": "a_b_c", "timestamp": "1"}, "sha256")
    assert vonage_signature("s", {"text": "a&b=c", "timestamp": "1", "sig": "x"}, "sha256") == plain


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=6))
def test_a_signature_verifies_only_the_params_it_was_made_for(params: dict[str, str]) -> None:
    signed = params | {"timestamp": "1000"}
    signed["sig"] = vonage_signature("secret-1", signed, "sha512")
    check_vonage("secret-1", signed, now=1000, max_age=300)
    with pytest.raises(SignatureInvalid):
        check_vonage("secret-2", signed, now=1000, max_age=300)
    with pytest.raises(SignatureInvalid):
        check_vonage("secret-1", signed, now=2000, max_age=300)


@pytest.mark.parametrize("sig", ["é" * 32, "ü" * 64, "\x00" * 40])
def test_a_non_ascii_or_binary_sig_is_refused_as_invalid(sig: str) -> None:
    with pytest.raises(SignatureInvalid):
        check_vonage("secret", {"a": "1", "timestamp": "1000", "sig": sig}, now=1000, max_age=300)


@pytest.mark.parametrize("signature", ["é" * 28, "\x00", "ÿ" * 44])
def test_a_non_ascii_twilio_signature_is_refused_as_invalid(signature: str) -> None:
    with pytest.raises(SignatureInvalid):
        check_twilio("token", "https://sb.example.com/v1/webhooks/twilio/sms", [("a", "1")], signature, None)


FORM = "application/x-www-form-urlencoded"
_escaped = st.lists(st.text(max_size=12), max_size=6).map(lambda parts: "&".join(quote_plus(p) for p in parts))
"""Form bodies as clients write them (``quote_plus`` of any text), mixed below with raw and mangled ones."""


@given(st.one_of(_escaped, st.text(alphabet="ab=&+%2Cc3\u00e6\u00a9\u4e2d", max_size=40),
                 st.from_regex(r"(%[0-9A-Fa-f]{2}|[a=&+])*", fullmatch=True)))  # fmt: skip
@example("a=%C3%A6&b=%C3")  # a broken UTF-8 sequence
@example("a=%C3\u00a9")  # an escaped lead byte before a raw character
@example("a=\u00e6%A9")  # a raw character before an escaped continuation byte
@example("&".join(["x=1"] * MAX_FIELDS))
@example("&".join(["x=1"] * (MAX_FIELDS + 1)))
def test_the_form_parser_reads_what_parse_qsl_reads_and_refuses_what_it_refuses(text: str) -> None:
    try:
        expected = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        with pytest.raises(InvalidRequest):
            _form_fields(text.encode(), FORM)
    else:
        assert _form_fields(text.encode(), f"{FORM}; charset=utf-8") == expected


def test_the_form_parser_refuses_other_content_types_and_invalid_utf8() -> None:
    with pytest.raises(InvalidRequest, match="x-www-form-urlencoded"):
        _form_fields(b"a=1", "multipart/form-data; boundary=x")
    with pytest.raises(InvalidRequest, match="UTF-8"):
        _form_fields(b"a=\xff", FORM)


def test_twilio_fields_become_a_normalized_sms() -> None:
    sms = parse_twilio(
        {
            "MessageSid": "SM1",
            "From": "+45 20 12 34 56",
            "To": "12345",
            "Body": "Hej",
            "NumMedia": "1",
            "MediaUrl0": "https://api.twilio.com/m",
            "MediaContentType0": "IMAGE/JPEG",
        }
    )
    assert (sms.sender, sms.recipient, sms.text) == ("+4520123456", "12345", "Hej")
    assert sms.media[0].content_type == "image/jpeg"
    assert sms.metadata["media_url_0"] == "https://api.twilio.com/m"


def test_vonage_numbers_without_plus_become_e164_and_concat_parts_are_read() -> None:
    sms = parse_vonage({"msisdn": "447700900001", "to": "447700900999", "messageId": "0A1", "text": "Hi",
                        "concat": "true", "concat-ref": "9", "concat-total": "2", "concat-part": "2"})  # fmt: skip
    assert (sms.sender, sms.recipient) == ("+447700900001", "+447700900999")
    assert sms.concat is not None
    assert (sms.concat.ref, sms.concat.total, sms.concat.part) == ("9", 2, 2)


@given(st.dictionaries(st.sampled_from(["MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0"]), st.text()))
@example({"MessageSid": "0", "From": "0", "To": "", "Body": "", "NumMedia": "¹"})  # a digit int() cannot read
def test_any_twilio_fields_parse_or_give_a_clear_invalid_request(form: dict[str, str]) -> None:
    try:
        sms = parse_twilio(form)
    except InvalidRequest:
        return
    try:
        message = to_message(sms, message_id="m", received_at=datetime.now(UTC))
    except InvalidRequest:
        return
    assert message.sender.address.startswith("+")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("54.172.60.0", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("2600:9000:2000::1", True),
        ("fc00::1", False),
        ("not-an-ip", False),
    ],
)
def test_only_globally_routable_addresses_are_public(address: str, public: bool) -> None:
    assert public_address(address) is public


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("api.twilio.com", True),
        ("API.Twilio.com.", True),
        ("api.twilio.com.evil.com", False),
        ("eviltwilio.com", False),
    ],
)
def test_media_hosts_are_matched_exactly(host: str, allowed: bool) -> None:
    assert host_allowed(host, ("api.twilio.com",)) is allowed
    assert host_allowed("cdn.twiliocdn.com", (".twiliocdn.com",))
    assert not host_allowed("twiliocdn.com.evil.com", (".twiliocdn.com",))


def test_the_sms_package_exports_its_router_factory_only() -> None:
    import services.sms

    assert services.sms.__all__ == ["sms_router"]


def test_the_webhooks_are_in_the_openapi_contract(tmp_path: Path) -> None:
    app = build_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"), with_router=False)
    paths = app.openapi()["paths"]
    assert set(paths["/v1/webhooks/twilio/sms"]) == {"post"}
    assert set(paths["/v1/webhooks/vonage/sms"]) == {"get", "post"}
