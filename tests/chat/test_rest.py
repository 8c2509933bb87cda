"""The chat's REST fallback over real HTTP: sessions, messages acked once durable, problems, CORS."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.conftest import routed
from tests.chat.conftest import exchange, open_chat, rule_first
from tests.chat.server import Server, chat_settings

SHOP = "https://shop.example"


async def test_a_rest_session_takes_messages_into_one_conversation_and_the_socket_resumes_it(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as visitor, server.admin() as admin:
        r = await visitor.post("/v1/chat/sessions")
        assert r.status_code == 201, r.text
        session = r.json()
        headers = {"X-Resume-Token": session["resume_token"]}
        url = f"/v1/chat/sessions/{session['session_id']}/messages"
        first = await visitor.post(url, json={"text": "I want to return my shoes", "client_id": "r1"}, headers=headers)
        retried = await visitor.post(
            url, json={"text": "I want to return my shoes", "client_id": "r1"}, headers=headers
        )
        assert first.status_code == 202, first.text
        assert retried.json()["message_id"] == first.json()["message_id"]
        assert first.json()["conversation_id"] == session["conversation_id"]
        ws, resumed = await open_chat(server, resume=session["resume_token"])
        ack = await exchange(ws, {"type": "message", "text": "Hello again", "client_id": "w1"})
        await ws.close()
        one, two = await routed(admin, first.json()["message_id"]), await routed(admin, ack["message_id"])
    assert resumed["session_id"] == session["session_id"]
    assert one["conversation_id"] == two["conversation_id"] == session["conversation_id"]


async def test_a_wrong_or_missing_token_is_a_401_problem_that_does_not_say_which(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as visitor:
        mine = (await visitor.post("/v1/chat/sessions")).json()
        theirs = (await visitor.post("/v1/chat/sessions")).json()
        url = f"/v1/chat/sessions/{theirs['session_id']}/messages"
        body = {"text": "hello"}
        wrong = await visitor.post(url, json=body, headers={"X-Resume-Token": mine["resume_token"]})
        missing = await visitor.post(url, json=body)
        unknown = await visitor.post("/v1/chat/sessions/nope/messages", json=body,
                                     headers={"X-Resume-Token": mine["resume_token"]})  # fmt: skip
    for r in (wrong, missing, unknown):
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_bad_rest_bodies_are_problems_not_crashes(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as visitor:
        session = (await visitor.post("/v1/chat/sessions")).json()
        url = f"/v1/chat/sessions/{session['session_id']}/messages"
        headers = {"X-Resume-Token": session["resume_token"], "Content-Type": "application/json"}
        answers = [
            await visitor.post(url, content=b"\xff\xfe{", headers=headers),
            await visitor.post(url, json={"text": "   "}, headers=headers),
            await visitor.post(url, json={"text": "z" * 4001}, headers=headers),
            await visitor.post(url, json={"text": "ok", "client_id": "has spaces"}, headers=headers),
            await visitor.post(url, json=[1, 2], headers=headers),
            await visitor.post(
                f"/v1/chat/sessions/{session['session_id']}/identify", json={"email": "x"}, headers=headers
            ),
        ]
    assert [r.status_code for r in answers] == [400, 422, 422, 422, 422, 422]
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers)


async def test_rest_identify_links_a_known_contact(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as visitor, server.admin() as admin:
        await rule_first(admin, {"id": "gold", "when": 'customer.tier == "gold"', "action": {"queue": "escalations"}})
        await admin.put("/v1/contacts", json={"channel": "sms", "address": "+4520999999", "tier": "gold"})
        session = (await visitor.post("/v1/chat/sessions")).json()
        headers = {"X-Resume-Token": session["resume_token"]}
        base = f"/v1/chat/sessions/{session['session_id']}"
        r = await visitor.post(f"{base}/identify", json={"phone": "+45 20 99 99 99"}, headers=headers)
        assert r.status_code == 204, r.text
        sent = await visitor.post(f"{base}/messages", json={"text": "My parcel is late"}, headers=headers)
        message = await routed(admin, sent.json()["message_id"])
    assert message["decision"]["queue"] == "escalations"


async def test_rest_messages_are_rate_limited_per_session_with_retry_after(tmp_path: Path) -> None:
    with Server(chat_settings(tmp_path, chat_messages_per_minute=6, chat_burst=2)) as server:
        async with httpx.AsyncClient(base_url=server.http) as visitor:
            a = (await visitor.post("/v1/chat/sessions")).json()
            b = (await visitor.post("/v1/chat/sessions")).json()

            async def send(session: dict[str, str]) -> httpx.Response:
                return await visitor.post(f"/v1/chat/sessions/{session['session_id']}/messages", json={"text": "hi"},
                                          headers={"X-Resume-Token": session["resume_token"]})  # fmt: skip

            answers = [await send(a) for _ in range(3)]
            other = await send(b)
    assert [r.status_code for r in answers] == [202, 202, 429]
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert answers[2].headers["content-type"] == "application/problem+json"
    assert other.status_code == 202


async def test_cors_lets_a_listed_origin_in_and_keeps_others_out(tmp_path: Path) -> None:
    with Server(chat_settings(tmp_path, chat_origins=(SHOP,))) as server:
        async with httpx.AsyncClient(base_url=server.http) as browser:
            preflight = await browser.options("/v1/chat/sessions", headers={
                "Origin": SHOP, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-resume-token"})  # fmt: skip
            created = await browser.post("/v1/chat/sessions", headers={"Origin": SHOP})
            stale = {"Origin": SHOP, "X-Resume-Token": "x" * 43}
            url = f"/v1/chat/sessions/{created.json()['session_id']}/messages"
            expired = await browser.post(url, json={"text": "hi"}, headers=stale)
            evil_preflight = await browser.options("/v1/chat/sessions", headers={"Origin": "https://evil.example"})
            evil = await browser.post("/v1/chat/sessions", headers={"Origin": "https://evil.example"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == SHOP
    assert "x-resume-token" in preflight.headers["access-control-allow-headers"].lower()
    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == SHOP
    assert expired.status_code == 401
    assert expired.headers["access-control-allow-origin"] == SHOP, "the widget can read why and start over"
    assert evil_preflight.status_code == 403
    assert evil.status_code == 403
    assert "access-control-allow-origin" not in evil.headers


async def test_the_widget_script_is_served_as_javascript(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as browser:
        r = await browser.get("/v1/chat/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "/v1/chat/ws" in r.text
    assert "/v1/chat/sessions" in r.text
