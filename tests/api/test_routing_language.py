"""The demo setup routes each message to an agent who speaks its language, and says when it could not."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.support import everyone_offline, post_and_route

pytestmark = pytest.mark.asyncio

CHATS = [
    ("zh", "Wei Chen", "你好，我的订单12345到现在还没有收到，请问什么时候能到？"),
    ("tl", "Maria Santos", "Hello po, nasaan na po yung order ko? Isang linggo na po akong naghihintay."),
    ("tr", "Ayşe Yılmaz", "Merhaba, siparişim hâlâ gelmedi, kargo ne zaman teslim edilecek?"),
    ("fr", "Sam Taylor", "Bonjour, ma commande n'est toujours pas arrivée, pouvez-vous vérifier ?"),
]


async def agents_by_name(client: httpx.AsyncClient) -> dict[str, str]:
    return {a["name"]: a["id"] for a in (await client.get("/v1/agents")).json()}


def chat(text: str, session: str) -> dict[str, Any]:
    return {"channel": "chat", "sender": {"address": session}, "text": text}


@pytest.mark.parametrize(("language", "speaker", "text"), CHATS)
async def test_demo_chat_goes_to_the_agent_who_speaks_its_language(
    client: httpx.AsyncClient, language: str, speaker: str, text: str
) -> None:
    message = await post_and_route(client, chat(text, f"session-{language}"))
    assert message["classification"]["language"] == language
    decision = message["decision"]
    assert decision["agent_id"] == (await agents_by_name(client))[speaker]
    assert decision["trace"]["assignment"]["reason"].endswith(f"speaks {language}")


async def test_language_is_relaxed_with_the_reason_when_its_speaker_is_away(client: httpx.AsyncClient) -> None:
    names = await agents_by_name(client)
    await everyone_offline(client, keep={names["Sam Taylor"]})
    message = await post_and_route(client, chat(CHATS[0][2], "session-zh-2"))
    decision = message["decision"]
    assert decision["agent_id"] == names["Sam Taylor"]
    reason = decision["trace"]["assignment"]["reason"]
    assert "language zh relaxed: no available agent in queue" in reason
