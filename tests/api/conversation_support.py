"""Helpers for the conversation and reply tests: an agent who gets the refund work, offers, replies."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import eventually
from tests.api.support import agent_client, assignments, everyone_offline, post_and_route

AGENT = {
    "name": "Asta",
    "languages": ["da", "en"],
    "skills": {"refunds": 5},
    "capacity": {"sms": 3, "email": 3, "chat": 3},
    "queues": ["returns"],
}
REFUND_TEXT = "Jeg vil returnere varen og have refusion"
SMS = {"channel": "sms", "sender": {"address": "+4520515151"}, "recipient": "+4570101010", "text": REFUND_TEXT}
EMAIL = {"channel": "email", "sender": {"address": "kirsten@example.dk", "name": "Kirsten"},
         "subject": "Returnering", "text": REFUND_TEXT, "thread_id": "thread-1@example.dk"}  # fmt: skip


async def available_agent(client: httpx.AsyncClient, spec: dict[str, Any] = AGENT) -> tuple[str, httpx.AsyncClient]:
    """An agent that is the only one available, with its own client."""
    agent_id, agent = await agent_client(client, spec)
    await everyone_offline(client, keep={agent_id})
    assert (await agent.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
    return agent_id, agent


async def offer_of(agent: httpx.AsyncClient, conversation_id: str) -> dict[str, Any]:
    """The agent's offer (or accepted assignment) of the conversation, once it has one."""

    async def check() -> dict[str, Any] | None:
        found = [a for a in await assignments(agent) if a["conversation_id"] == conversation_id]
        return found[0] if found else None

    result: dict[str, Any] = await eventually(check)
    return result


async def accepted(client: httpx.AsyncClient, agent: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    """Post ``body``, wait for its offer to the agent and accept it; the routed message."""
    message = await post_and_route(client, body)
    offer = await offer_of(agent, message["conversation_id"])
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    return message


async def reply_status(reader: httpx.AsyncClient, conversation_id: str, reply_id: str, *wanted: str) -> dict[str, Any]:
    """The reply as the conversation shows it, once its status is one of ``wanted``."""

    async def check() -> dict[str, Any] | None:
        r = await reader.get(f"/v1/conversations/{conversation_id}")
        found = [i for i in r.json()["items"] if i["id"] == reply_id]
        return found[0] if found and found[0]["status"] in wanted else None

    result: dict[str, Any] = await eventually(check, timeout=20)
    return result
