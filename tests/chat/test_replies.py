"""Agents' replies reach the chat visitor: pushed to an open socket, kept for the next resume, and not pushed
again once the widget said it has shown them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import eventually, routed
from tests.api.conversation_support import REFUND_TEXT, available_agent, offer_of, reply_status
from tests.chat.conftest import exchange, open_chat
from tests.chat.server import Server, chat_settings


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with Server(chat_settings(tmp_path, reply_poll_seconds=0.05)) as running:
        yield running


async def next_frame(ws: Any) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return frame


async def test_a_reply_is_pushed_to_the_open_chat_and_one_written_while_away_comes_on_resume(server: Server) -> None:
    async with server.admin() as admin:
        _, agent = await available_agent(admin)
        ws, session = await open_chat(server)
        ack = await exchange(ws, {"type": "message", "text": REFUND_TEXT, "client_id": "c1"})
        conversation = (await routed(admin, ack["message_id"]))["conversation_id"]
        assert conversation == session["conversation_id"]
        offer = await offer_of(agent, conversation)
        assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200

        first = (
            await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej! Jeg kigger."})
        ).json()
        assert first["channel"] == "chat"
        pushed = await next_frame(ws)
        assert (pushed["type"], pushed["id"], pushed["text"], pushed["author"]) == (
            "reply",
            first["id"],
            "Hej! Jeg kigger.",
            "Asta",
        )
        await reply_status(agent, conversation, first["id"], "sent")
        await ws.send(json.dumps({"type": "seen", "id": first["id"]}))

        async def seen() -> bool:
            items = (await agent.get(f"/v1/conversations/{conversation}")).json()["items"]
            return any(i["id"] == first["id"] and i["seen_at"] for i in items)

        await eventually(seen)
        await ws.close()

        second = (
            await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Refusion sendt."})
        ).json()
        waiting = await reply_status(agent, conversation, second["id"], "pending")
        assert waiting["sent_at"] is None, "no socket: kept for the visitor"

        back, resumed = await open_chat(server, resume=session["resume_token"])
        assert resumed["resumed"] is True
        frame = await next_frame(back)
        assert (frame["type"], frame["id"]) == ("reply", second["id"]), "only what the widget has not shown"
        await reply_status(agent, conversation, second["id"], "sent")
        await back.close()
