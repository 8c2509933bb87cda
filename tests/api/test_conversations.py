"""Reading a conversation and replying to it through the API: who may, what they see, what is recorded."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shared.db.models import Activity, Assignment, AuditEvent, Reply
from shared.settings import Settings
from tests.api.conversation_support import EMAIL, SMS, accepted, available_agent, offer_of
from tests.api.support import agent_client, dispatch_at, post_and_route

pytestmark = pytest.mark.asyncio


async def test_the_offered_agent_supervisors_and_admins_read_it_and_another_agent_gets_404(
    client: httpx.AsyncClient,
) -> None:
    _, agent = await available_agent(client)
    message = await post_and_route(client, SMS)
    conversation = message["conversation_id"]
    await offer_of(agent, conversation)
    _, other = await agent_client(client, {"name": "Other", "languages": ["en"]})
    supervisor_key = (await client.post("/v1/api-keys", json={"role": "supervisor"})).json()["key"]

    r = await agent.get(f"/v1/conversations/{conversation}")
    assert r.status_code == 200, r.text
    seen = r.json()
    [item] = seen["items"]
    assert (item["type"], item["id"], item["text"], item["channel"]) == ("message", message["id"], SMS["text"], "sms")
    assert item["classification"]["intent"] == "refund_return"
    assert seen["assignment"]["status"] == "offered"
    assert (seen["default_reply_channel"], seen["reply_channels"], seen["next_cursor"]) == ("sms", ["sms"], None)
    assert (await other.get(f"/v1/conversations/{conversation}")).status_code == 404
    assert (await other.get(f"/v1/conversations/{conversation}")).json()["detail"] == (
        await other.get("/v1/conversations/no-such-conversation")
    ).json()["detail"], "another agent's conversation looks like one that does not exist"
    headers = {"Authorization": f"Bearer {supervisor_key}"}
    assert (await client.get(f"/v1/conversations/{conversation}", headers=headers)).status_code == 200
    assert (await client.get(f"/v1/conversations/{conversation}")).status_code == 200


async def test_a_reply_needs_the_accepted_assignment_and_is_recorded_with_audit_and_activity(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    agent_id, agent = await available_agent(client)
    message = await post_and_route(client, SMS)
    conversation = message["conversation_id"]
    offer = await offer_of(agent, conversation)
    early = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej"})
    assert early.status_code == 409, early.text
    assert "accept" in early.json()["detail"]
    assert (await client.post(f"/v1/conversations/{conversation}/replies", json={"text": "x"})).status_code == 403
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200

    wrong = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej", "channel": "email"})
    assert wrong.status_code == 422, wrong.text
    assert "email" in wrong.json()["detail"]
    files = [{"content_base64": "aGVq", "name": "a.txt"}]
    no_files = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej", "attachments": files})
    assert no_files.status_code == 422, "an SMS carries text only"

    r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej Kirsten, vi ordner det."})
    assert r.status_code == 202, r.text
    reply = r.json()
    assert (reply["status"], reply["channel"], reply["recipient"]) == ("pending", "sms", "+4520515151")
    again = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Og en ting mere."})
    assert again.status_code == 202

    items = (await agent.get(f"/v1/conversations/{conversation}")).json()["items"]
    assert [i["type"] for i in items] == ["message", "reply", "reply"]
    assert items[1]["author"] == {"agent_id": agent_id, "name": "Asta"}
    async with app.state.deps.sessions() as session:
        row = await session.get(Assignment, offer["id"])
        first = await session.get(Reply, reply["id"])
        assert row is not None
        assert first is not None
        assert row.first_response_at == first.created_at, "the first reply is the first response, not the accept"
        audits = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "conversation.reply")))
        rows = list(await session.scalars(select(Activity).where(Activity.type == "conversation.reply")))
    assert [a.detail["first_response"] for a in audits] == [True, False]
    assert all("Kirsten" not in str(a.detail) for a in audits), "no message text in the audit"
    assert {(a.conversation_id, a.agent_id) for a in rows} == {(conversation, agent_id)}


async def test_one_customer_across_sms_and_email_has_one_contact_with_a_history(client: httpx.AsyncClient) -> None:
    contact = {"channel": "email", "address": "kirsten@example.dk", "name": "Kirsten", "tier": "vip",
               "identities": ["+4520515151"]}  # fmt: skip
    assert (await client.put("/v1/contacts", json=contact)).status_code == 200
    _, agent = await available_agent(client)
    by_sms = await accepted(client, agent, SMS)
    sms_offer = await offer_of(agent, by_sms["conversation_id"])
    done = {"disposition": "refund_issued", "notes": "Refunded order 1234"}
    assert (await agent.post(f"/v1/assignments/{sms_offer['id']}/complete", json=done)).status_code == 200
    by_email = await accepted(client, agent, EMAIL)

    seen = (await agent.get(f"/v1/conversations/{by_email['conversation_id']}")).json()
    assert seen["contact"]["address"] == "kirsten@example.dk"
    assert seen["contact"]["tier"] == "vip"
    assert {i["address"] for i in seen["contact"]["identities"]} >= {"+4520515151"}
    [earlier] = seen["history"]
    assert (earlier["id"], earlier["channel"]) == (by_sms["conversation_id"], "sms")
    [done_row] = earlier["assignments"]
    assert (done_row["disposition"], done_row["notes"], done_row["status"]) == (
        "refund_issued",
        "Refunded order 1234",
        "completed",
    )
    assert seen["reply_channels"] == ["email", "sms"]
    assert seen["default_reply_channel"] == "email"
    r = await agent.post(
        f"/v1/conversations/{by_email['conversation_id']}/replies", json={"text": "Hi", "channel": "sms"}
    )
    assert r.status_code == 202, r.text
    assert r.json()["recipient"] == "+4520515151", "a named channel the contact has an address on"
    earlier_view = await agent.get(f"/v1/conversations/{by_sms['conversation_id']}")
    assert earlier_view.status_code == 200, "the agent held the earlier conversation's latest assignment"


async def test_a_long_conversation_is_read_in_pages_by_cursor(client: httpx.AsyncClient) -> None:
    _, agent = await available_agent(client)
    first = await accepted(client, agent, SMS)
    conversation = first["conversation_id"]
    for n in range(4):
        await post_and_route(client, SMS | {"text": f"Mere info {n}"})
        r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": f"Svar {n}"})
        assert r.status_code == 202
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        page = (await agent.get(f"/v1/conversations/{conversation}", params=params)).json()
        assert len(page["items"]) <= 3
        seen += [i["text"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = (await agent.get(f"/v1/conversations/{conversation}", params={"limit": "500"})).json()["items"]
    assert seen == [i["text"] for i in everything]
    assert len(seen) == 9
    assert pages == 3
    assert [i["at"] for i in everything] == sorted(i["at"] for i in everything)
    bad = await agent.get(f"/v1/conversations/{conversation}", params={"cursor": "bm90IGEgY3Vyc29y"})
    assert bad.status_code == 422


async def test_email_reply_files_are_stored_and_downloadable_from_the_conversation(client: httpx.AsyncClient) -> None:
    _, agent = await available_agent(client)
    message = await accepted(client, agent, EMAIL)
    conversation = message["conversation_id"]
    data = b"%PDF-1.4 label"
    files = [
        {"content_base64": base64.b64encode(data).decode(), "name": "label.pdf", "content_type": "application/pdf"}
    ]
    r = await agent.post(
        f"/v1/conversations/{conversation}/replies", json={"text": "Label attached", "attachments": files}
    )
    assert r.status_code == 202, r.text
    digest = hashlib.sha256(data).hexdigest()
    [reply] = [
        i for i in (await agent.get(f"/v1/conversations/{conversation}")).json()["items"] if i["type"] == "reply"
    ]
    [file] = reply["attachments"]
    assert (file["sha256"], file["size"], file["url"]) == (
        digest,
        len(data),
        f"/v1/conversations/{conversation}/attachments/{digest}",
    )
    download = await agent.get(file["url"])
    assert (download.status_code, download.content) == (200, data)
    assert "label.pdf" in download.headers["content-disposition"]
    again = await agent.post(f"/v1/conversations/{conversation}/replies",
                             json={"text": "Again", "attachments": [{"sha256": digest}]})  # fmt: skip
    assert again.status_code == 202, "a file already in the conversation is named by its SHA-256"
    unknown = await agent.post(f"/v1/conversations/{conversation}/replies",
                               json={"text": "x", "attachments": [{"sha256": "0" * 64}]})  # fmt: skip
    assert unknown.status_code == 422


async def test_accepting_no_longer_stops_the_first_response_clock_a_reply_does(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    sla = {"name": "brisk", "first_response_s": {str(p): 60 for p in range(1, 6)}, "warn_ratio": 0.5}
    assert (await client.put("/v1/sla-policies/brisk", json=sla)).status_code == 200
    assert (await client.put("/v1/queues/returns", json={"name": "returns", "sla_policy": "brisk"})).status_code == 200
    _, agent = await available_agent(client)
    answered = await accepted(client, agent, SMS)
    silent = await accepted(client, agent, SMS | {"sender": {"address": "+4520616161"}})
    r = await agent.post(f"/v1/conversations/{answered['conversation_id']}/replies", json={"text": "Hej"})
    assert r.status_code == 202
    await dispatch_at(app, settings, datetime.now(UTC) + timedelta(minutes=5))
    async with app.state.deps.sessions() as session:
        states = {
            row.conversation_id: row.sla_state
            for row in await session.scalars(select(Assignment).where(Assignment.status == "accepted"))
        }
    assert states[silent["conversation_id"]] == "breached", "accepted without a reply: no first response yet"
    assert states[answered["conversation_id"]] == "ok"
