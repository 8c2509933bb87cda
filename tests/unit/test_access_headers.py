"""The security headers every answer gets, set on the raw ASGI headers the app answered with."""

from __future__ import annotations

from gateway.access import API_POLICY, HTML_POLICY, secured

JSON = (b"content-type", b"application/json")


def values(headers: list[tuple[bytes, bytes]], name: bytes) -> list[bytes]:
    return [v for n, v in headers if n == name]


def test_an_api_answer_gets_every_security_header_once_and_no_store() -> None:
    got = secured([JSON, (b"content-length", b"2")], "/v1/queues", "req-1")
    assert dict(got) == {
        b"content-type": b"application/json",
        b"content-length": b"2",
        b"x-content-type-options": b"nosniff",
        b"referrer-policy": b"no-referrer",
        b"x-frame-options": b"DENY",
        b"content-security-policy": API_POLICY.encode(),
        b"cross-origin-resource-policy": b"same-origin",
        b"cache-control": b"no-store",
        b"x-request-id": b"req-1",
    }
    assert len(got) == len(dict(got))


def test_what_the_app_set_is_replaced_and_the_server_header_dropped() -> None:
    app_set = [JSON, (b"Cache-Control", b"max-age=600"), (b"server", b"uvicorn"), (b"x-request-id", b"forged"),
               (b"x-frame-options", b"ALLOW")]  # fmt: skip
    got = secured(app_set, "/v1/messages/1", "req-2")
    assert values(got, b"cache-control") == [b"no-store"]
    assert [n for n, _ in got if n.lower() == b"cache-control"] == [b"cache-control"]
    assert values(got, b"x-request-id") == [b"req-2"]
    assert values(got, b"x-frame-options") == [b"DENY"]
    assert not values(got, b"server")


def test_public_assets_keep_their_caching_and_may_be_loaded_cross_origin() -> None:
    got = secured([(b"content-type", b"text/javascript"), (b"cache-control", b"max-age=3600")], "/v1/chat/widget.js",
                  "r")  # fmt: skip
    assert values(got, b"cache-control") == [b"max-age=3600"]
    assert values(got, b"cross-origin-resource-policy") == [b"cross-origin"]


def test_html_pages_get_the_documentation_policy() -> None:
    got = secured([(b"content-type", b"text/html; charset=utf-8")], "/docs", "r")
    assert values(got, b"content-security-policy") == [HTML_POLICY.encode()]
    assert values(got, b"cache-control") == [b"no-store"]
