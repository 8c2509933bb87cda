"""The chat socket with a real `websockets` client: acks once durable, resume, identify, limits, origins."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from tests.api.conftest import routed
from tests.chat.conftest import exchange, open_chat, rule_first
from tests.chat.server import Server, chat_settings


async def test_a_message_is_acked_with_its_id_and_routed_from_the_visitors_session(server: Server) -> None:
    ws, session = await open_chat(server)
    ack = await exchange(ws, {"type": "message", "text": "Where is my order 12345?", "client_id": "c-1"})
    await ws.close()
    assert ack["type"] == "ack"
    assert ack["client_id"] == "c-1"
    async with server.admin() as admin:
        message = await routed(admin, ack["message_id"])
    assert message["channel"] == "chat"
    assert message["provider"] == "widget"
    assert message["sender"] == {"kind": "chat_session", "address": session["session_id"], "name": None}
    assert message["conversation_id"] == session["conversation_id"]
    assert message["text"] == "Where is my order 12345?"
    assert message["decision"] is not None


async def test_resuming_continues_the_same_session_and_conversation(server: Server) -> None:
    ws, first = await open_chat(server)
    ack1 = await exchange(ws, {"type": "message", "text": "Hello, I need help with a refund", "client_id": "a"})
    await ws.close()
    ws, again = await open_chat(server, resume=first["resume_token"])
    ack2 = await exchange(ws, {"type": "message", "text": "Are you there?", "client_id": "b"})
    await ws.close()
    assert first["resumed"] is False
    assert again["resumed"] is True
    assert again["session_id"] == first["session_id"]
    assert again["resume_token"] == first["resume_token"]
    async with server.admin() as admin:
        one, two = await routed(admin, ack1["message_id"]), await routed(admin, ack2["message_id"])
    assert one["conversation_id"] == two["conversation_id"] == first["conversation_id"]


async def test_an_unknown_resume_token_opens_a_new_session(server: Server) -> None:
    ws, first = await open_chat(server)
    await ws.close()
    ws, other = await open_chat(server, resume="x" * 43)
    await ws.close()
    ws, odd = await open_chat(server, resume="not a token;<script>")
    await ws.close()
    assert other["resumed"] is False
    assert odd["resumed"] is False
    assert len({first["session_id"], other["session_id"], odd["session_id"]}) == 3


async def test_a_resend_after_a_lost_ack_names_the_same_message_and_is_routed_once(server: Server) -> None:
    ws, _ = await open_chat(server)
    first = await exchange(ws, {"type": "message", "text": "My invoice is wrong", "client_id": "same"})
    again = await exchange(ws, {"type": "message", "text": "My invoice is wrong", "client_id": "same"})
    await ws.close()
    assert first["message_id"] == again["message_id"]
    async with server.admin() as admin:
        message = await routed(admin, first["message_id"])
        await asyncio.sleep(0.3)  # give a second copy every chance to be routed too
        listed = (await admin.get("/v1/messages", params={"channel": "chat"})).json()
    assert [m["id"] for m in listed] == [message["id"]]


def test_sessions_survive_a_restart_and_only_the_tokens_hash_is_stored(tmp_path: Path) -> None:
    settings = chat_settings(tmp_path)

    async def first_visit(server: Server) -> dict[str, str]:
        ws, session = await open_chat(server)
        await ws.close()
        return session

    async def second_visit(server: Server, token: str) -> dict[str, str]:
        ws, session = await open_chat(server, resume=token)
        await ws.close()
        return session

    with Server(settings) as server:
        before = asyncio.run(first_visit(server))
    with Server(settings) as server:
        after = asyncio.run(second_visit(server, before["resume_token"]))
    assert after["resumed"] is True
    assert after["session_id"] == before["session_id"]
    with closing(sqlite3.connect(tmp_path / "switchboard.db")) as db:
        stored = db.execute("select token_hash from chat_sessions where id = ?", (before["session_id"],)).fetchall()
        everything = " ".join(str(v) for row in db.execute("select * from chat_sessions") for v in row)
    assert len(stored) == 1
    assert before["resume_token"] not in everything


async def test_identify_links_the_visitor_to_a_known_contact_whose_tier_the_rules_see(server: Server) -> None:
    async with server.admin() as admin:
        await rule_first(admin, {"id": "vip", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}})
        contact = {"channel": "email", "address": "Vera.Vip@Example.com", "tier": "vip"}
        assert (await admin.put("/v1/contacts", json=contact)).status_code == 200
        known, _ = await open_chat(server)
        answer = await exchange(known, {"type": "identify", "email": " VERA.vip@example.COM ", "name": "Vera"})
        vip = await exchange(known, {"type": "message", "text": "Hi, my order has not arrived", "client_id": "1"})
        stranger, _ = await open_chat(server)
        claim = await exchange(stranger, {"type": "identify", "email": "someone.else@example.com"})
        other = await exchange(stranger, {"type": "message", "text": "Hi, my order has not arrived", "client_id": "1"})
        await known.close()
        await stranger.close()
        routed_vip, routed_other = await routed(admin, vip["message_id"]), await routed(admin, other["message_id"])
    assert answer == {"type": "identified", "verified": False}
    assert claim == {"type": "identified", "verified": False}, "whether an address is a known contact is not revealed"
    assert routed_vip["decision"]["queue"] == "escalations"
    assert routed_vip["sender"]["name"] == "Vera"
    assert routed_other["decision"]["queue"] != "escalations"


async def test_a_bad_identify_is_an_error_frame_and_the_socket_stays_open(server: Server) -> None:
    ws, _ = await open_chat(server)
    not_an_email = await exchange(ws, {"type": "identify", "email": "not-an-email"})
    both = await exchange(ws, {"type": "identify", "email": "a@example.com", "phone": "+4520999999"})
    local = await exchange(ws, {"type": "identify", "phone": "20 99 99 99"})
    pong = await exchange(ws, {"type": "ping"})
    await ws.close()
    assert not_an_email["code"] == "address-invalid"
    assert local["code"] == "address-invalid"
    assert both["code"] == "bad-frame"
    assert "not-an-email" not in json.dumps(not_an_email), "input is never echoed"
    assert pong == {"type": "pong"}


def test_a_bus_outage_gives_a_retryable_error_never_an_ack(tmp_path: Path) -> None:
    async def visit(server: Server) -> tuple[dict[str, object], dict[str, object]]:
        ws, _ = await open_chat(server)
        server.call(server.app.state.deps.bus.stop())
        refused = await exchange(ws, {"type": "message", "text": "Is anyone there?", "client_id": "k"})
        server.call(server.app.state.deps.bus.start())
        accepted = await exchange(ws, {"type": "message", "text": "Is anyone there?", "client_id": "k"})
        await ws.close()
        return refused, accepted

    with Server(chat_settings(tmp_path), with_router=False) as server:
        refused, accepted = asyncio.run(visit(server))
    assert refused["type"] == "error"
    assert refused["code"] == "bus-unavailable"
    assert refused["retry"] is True
    assert refused["client_id"] == "k"
    assert accepted["type"] == "ack"


def test_a_flood_is_closed_with_a_policy_code_and_other_sessions_carry_on(tmp_path: Path) -> None:
    async def visit(server: Server) -> tuple[int | None, list[dict[str, object]], dict[str, object]]:
        flooder, _ = await open_chat(server)
        calm, _ = await open_chat(server)
        answers: list[dict[str, object]] = []
        try:
            for _ in range(200):
                await flooder.send(json.dumps({"type": "ping"}))
            async for frame in flooder:
                answers.append(json.loads(frame))
        except ConnectionClosed:
            pass
        ack = await exchange(calm, {"type": "message", "text": "Hello, quick question", "client_id": "q"})
        await calm.close()
        return flooder.close_code, answers, ack

    with Server(chat_settings(tmp_path, chat_messages_per_minute=60, chat_burst=5)) as server:
        code, answers, ack = asyncio.run(visit(server))
    assert code == 1008
    assert {a["type"] for a in answers} == {"pong", "error"}
    assert any(a.get("code") == "rate-limited" and a["retry"] for a in answers)
    assert ack["type"] == "ack"


def test_a_rate_limited_visitor_who_waits_is_not_closed(tmp_path: Path) -> None:
    async def visit(server: Server) -> list[str]:
        ws, _ = await open_chat(server)
        seen = []
        for i in range(4):
            answer = await exchange(ws, {"type": "message", "text": f"message {i}", "client_id": f"m{i}"})
            seen.append(str(answer["type"]))
            if answer["type"] == "error":
                assert answer["code"] == "rate-limited"
                await asyncio.sleep(float(answer["retry_after"]))  # type: ignore[arg-type]
                answer = await exchange(ws, {"type": "message", "text": f"message {i}", "client_id": f"m{i}"})
                seen.append(str(answer["type"]))
        await ws.close()
        return seen

    with Server(chat_settings(tmp_path, chat_messages_per_minute=120, chat_burst=2)) as server:
        seen = asyncio.run(visit(server))
    assert seen.count("ack") == 4
    assert "error" in seen


def test_a_frame_over_the_size_limit_closes_the_socket(tmp_path: Path) -> None:
    async def visit(server: Server) -> int | None:
        ws, _ = await open_chat(server)
        await ws.send(json.dumps({"type": "message", "text": "x" * 5000, "client_id": "big"}))
        with pytest.raises(ConnectionClosed):
            await ws.recv()
        return ws.close_code

    with Server(chat_settings(tmp_path, chat_max_frame_bytes=4096)) as server:
        assert asyncio.run(visit(server)) == 1009


async def reopen_when_room(server: Server, resume: str) -> tuple[ClientConnection, dict[str, Any]]:
    """Resume once the server has let go of a closed socket: it does so when its handler sees the close, a
    moment after the client's closing handshake ends."""
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        ws = await connect(server.ws + f"?resume={quote(resume)}")
        first = json.loads(await ws.recv())
        if first["type"] == "session":
            return ws, first
        assert first.get("code") == "too-many-sockets", first
        await ws.close()
        assert asyncio.get_running_loop().time() < deadline, "the closed socket's place was never freed"
        await asyncio.sleep(0.05)


def test_a_session_holds_at_most_its_cap_of_sockets_and_one_closed_makes_room(tmp_path: Path) -> None:
    async def visit(server: Server) -> tuple[dict[str, object], int | None, str]:
        first, session = await open_chat(server)
        more = [(await open_chat(server, resume=session["resume_token"]))[0]]
        url = server.ws + f"?resume={session['resume_token']}"
        async with connect(url) as extra:
            refusal = json.loads(await extra.recv())
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(extra.recv(), 10)
        await first.close()
        again, reopened = await reopen_when_room(server, session["resume_token"])
        for ws in (*more, again):
            await ws.close()
        return refusal, extra.close_code, str(reopened["session_id"] == session["session_id"])

    with Server(chat_settings(tmp_path, chat_sockets_per_session=2)) as server:
        refusal, code, same = asyncio.run(visit(server))
    assert refusal["type"] == "error"
    assert refusal["code"] == "too-many-sockets"
    assert code == 1008
    assert same == "True"


async def test_a_message_over_the_character_limit_is_refused_with_an_error_frame(server: Server) -> None:
    ws, _ = await open_chat(server)
    answer = await exchange(ws, {"type": "message", "text": "y" * 4001, "client_id": "long"})
    ok = await exchange(ws, {"type": "message", "text": "y" * 4000, "client_id": "fits"})
    await ws.close()
    assert answer["code"] == "text-too-long"
    assert answer["client_id"] == "long"
    assert ok["type"] == "ack"


async def test_a_page_of_another_origin_is_refused_unless_listed(tmp_path: Path) -> None:
    with Server(chat_settings(tmp_path, chat_origins=("https://shop.example",))) as server:
        with pytest.raises(InvalidStatus) as refused:
            await connect(server.ws, origin=Origin("https://evil.example"))
        with pytest.raises(InvalidStatus) as sandboxed:
            await connect(server.ws, origin=Origin("null"))
        listed, _ = await open_chat(server, origin="https://shop.example")
        own, _ = await open_chat(server, origin=server.http)
        no_browser, _ = await open_chat(server)
        for ws in (listed, own, no_browser):
            await ws.close()
    assert refused.value.response.status_code == 403
    assert sandboxed.value.response.status_code == 403


async def test_with_no_origins_listed_only_the_gateways_own_pages_may_chat(server: Server) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await connect(server.ws, origin=Origin("https://shop.example"))
    own, _ = await open_chat(server, origin=server.http)
    await own.close()
    assert refused.value.response.status_code == 403


def test_a_session_opened_on_one_gateway_resumes_on_another(tmp_path: Path) -> None:
    async def visit(one: Server, two: Server) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        ws, opened = await open_chat(one)
        await ws.close()
        ws, resumed = await open_chat(two, resume=opened["resume_token"])
        ack = await exchange(ws, {"type": "message", "text": "Following up on my ticket", "client_id": "f"})
        await ws.close()
        async with one.admin() as admin:
            message = await routed(admin, ack["message_id"])
        return opened, resumed, message

    with Server(chat_settings(tmp_path)) as one, Server(chat_settings(tmp_path), with_router=False) as two:
        opened, resumed, message = asyncio.run(visit(one, two))
    assert resumed["resumed"] is True
    assert resumed["session_id"] == opened["session_id"]
    assert message["conversation_id"] == opened["conversation_id"]


async def test_a_new_identify_replaces_the_link_and_simulation_sees_the_same_customer(server: Server) -> None:
    vip = {"id": "vip", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}}
    async with server.admin() as admin:
        await rule_first(admin, vip)
        version = (await admin.get("/v1/rulesets/active")).json()["version"]
        await admin.put("/v1/contacts", json={"channel": "email", "address": "vip@example.com", "tier": "vip"})
        ws, session = await open_chat(server)
        await exchange(ws, {"type": "identify", "email": "vip@example.com"})
        as_vip = {"channel": "chat", "sender": {"address": session["session_id"]}, "text": "Hello"}
        simulated_vip = (await admin.post(f"/v1/rulesets/{version}/simulate", json={"message": as_vip})).json()
        await exchange(ws, {"type": "identify", "email": "nobody@example.com"})
        after = await exchange(ws, {"type": "message", "text": "Hello again", "client_id": "x"})
        simulated_after = (await admin.post(f"/v1/rulesets/{version}/simulate", json={"message": as_vip})).json()
        await ws.close()
        message = await routed(admin, after["message_id"])
    assert simulated_vip["queue"] == "escalations"
    assert simulated_after["queue"] != "escalations"
    assert message["decision"]["queue"] != "escalations"


async def test_a_visitor_identified_by_another_identity_stays_linked_when_ops_edit_the_contact(server: Server) -> None:
    vip = {"id": "vip", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}}
    contact = {"channel": "email", "address": "ole@example.com", "tier": "vip", "identities": ["+4520777777"]}
    async with server.admin() as admin:
        await rule_first(admin, vip)
        assert (await admin.put("/v1/contacts", json=contact)).status_code == 200
        ws, _ = await open_chat(server)
        await exchange(ws, {"type": "identify", "phone": "+45 20 77 77 77"})
        edited = await admin.put("/v1/contacts", json=contact | {"identities": ["+4520777778"]})
        ack = await exchange(ws, {"type": "message", "text": "Where is my parcel?", "client_id": "p"})
        await ws.close()
        message = await routed(admin, ack["message_id"])
        shown = (await admin.get("/v1/contacts/ole@example.com")).json()
    assert edited.json()["identities"] == ["+4520777778"]
    assert shown["identities"] == ["+4520777778"], "chat sessions are not ops-managed identities"
    assert message["decision"]["queue"] == "escalations"
