"""An agent client over real HTTP against a real ``switchboard run`` process: a customer writes by email
(SMTP), SMS (a Twilio-signed webhook) and web chat; the agent hears of each offer by its event stream (SSE)
and by a long-poll of its assignments, accepts, reads the conversation and replies through the customer's
channel, to an SMTP relay and a Twilio REST stand-in started by the test and to the visitor's chat on
resume; the customer's next email threads into the same conversation."""

from __future__ import annotations

import asyncio
import contextlib
import json
import smtplib
from collections.abc import AsyncIterator, Awaitable, Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pytest
from twilio.request_validator import RequestValidator
from websockets.asyncio.client import connect

from tests.e2e.server import HEADERS, free_port, start, stop, wait_ready
from tests.relays import TWILIO_SID, TWILIO_TOKEN, Relay, TwilioApi

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
T = TypeVar("T")
REFUND = "Jeg vil returnere varen og have refusion for ordre 48213"
AGENT = {"name": "Asta", "languages": ["da", "en"], "skills": {"refunds": 5},
         "capacity": {"sms": 3, "email": 3, "chat": 3}, "queues": ["returns"]}  # fmt: skip


async def until(check: Callable[[], Awaitable[T | None]], timeout: float = 20) -> T:
    """``check``'s first truthy answer, polled until ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


class Desk:
    """The agent's client: an open event stream, long-polled offers, accept, read, reply."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.etag: str | None = None

    async def listen(self, connected: asyncio.Event) -> None:
        """Read ``GET /v1/agents/me/events`` into ``events`` until cancelled."""
        async with self.client.stream("GET", "/v1/agents/me/events", timeout=None) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            async for line in stream.aiter_lines():
                if line == ": connected":
                    connected.set()
                elif line.startswith("data: "):
                    await self.events.put(json.loads(line.removeprefix("data: ")))

    async def heard(self, event_type: str, assignment_id: str) -> dict[str, Any]:
        """The stream's event of this type for this assignment (others are passed over)."""
        while True:
            event = await asyncio.wait_for(self.events.get(), 10)
            if (event["type"], event["assignment_id"]) == (event_type, assignment_id):
                return event

    async def offered(self, known: set[str]) -> dict[str, Any]:
        """The first offer of a conversation not in ``known``, by long-polling the assignments: each answer
        names its list (ETag), and the next poll waits until the list differs from it."""
        for _ in range(20):
            headers = {"If-None-Match": self.etag} if self.etag else {}
            r = await self.client.get(
                "/v1/agents/me/assignments", params={"status": "offered", "wait": 30}, headers=headers, timeout=40
            )
            assert r.status_code == 200, r.text
            self.etag = r.headers["ETag"]
            fresh: list[dict[str, Any]] = [o for o in r.json() if o["conversation_id"] not in known]
            if fresh:
                return fresh[0]
        raise AssertionError("no new offer after 20 long-polls")

    async def take(self, known: set[str]) -> tuple[str, dict[str, Any]]:
        """Accept the next new offer and read its conversation."""
        offer = await self.offered(known)
        event = await self.heard("assignment.offered", offer["id"])
        assert event["conversation_id"] == offer["conversation_id"]
        assert offer["summary"]["channel"] == offer["channel"]
        assert (await self.client.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
        known.add(offer["conversation_id"])
        r = await self.client.get(f"/v1/conversations/{offer['conversation_id']}")
        assert r.status_code == 200, r.text
        return offer["conversation_id"], r.json()

    async def reply(self, conversation: str, text: str) -> dict[str, Any]:
        """Reply and wait until the conversation shows it sent."""
        r = await self.client.post(f"/v1/conversations/{conversation}/replies", json={"text": text})
        assert r.status_code == 202, r.text
        reply_id = r.json()["id"]

        async def check() -> dict[str, Any] | None:
            items = (await self.client.get(f"/v1/conversations/{conversation}")).json()["items"]
            found = [i for i in items if i["id"] == reply_id and i["status"] != "pending"]
            return found[0] if found else None

        sent = await until(check)
        assert sent["status"] == "sent", sent
        return sent


def email(message_id: str, **headers: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Kirsten <kirsten@example.dk>", "help@example.com", "Returnering"
    mail["Message-ID"] = message_id
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(REFUND)
    return mail


async def smtp_send(port: int, mail: EmailMessage) -> None:
    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.send_message(mail)

    await asyncio.to_thread(send)


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[tuple[Desk, dict[str, Any]]]:
    """The server (replies to the test's relay and Twilio), an available agent's client, and where things are."""
    port, smtp_port = free_port(), free_port()
    with Relay() as relay, TwilioApi() as twilio:
        env = {
            "SWITCHBOARD_SMTP_PORT": str(smtp_port),
            "SWITCHBOARD_SMTP_RELAY": relay.address,
            "SWITCHBOARD_MAIL_FROM": "support@example.com",
            "SWITCHBOARD_TWILIO_ACCOUNT_SID": TWILIO_SID,
            "SWITCHBOARD_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "SWITCHBOARD_TWILIO_API_BASE_URL": twilio.base_url,
            "SWITCHBOARD_REPLY_POLL_SECONDS": "0.1",
            "SWITCHBOARD_REPLY_RETRY_BASE_SECONDS": "0.1",
        }
        base = f"http://127.0.0.1:{port}"
        proc = start(tmp_path, port, env)
        try:
            await wait_ready(base, proc)
            async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as admin:
                agent_id = (await admin.post("/v1/agents", json=AGENT)).json()["id"]
                for other in (await admin.get("/v1/agents")).json():
                    if other["id"] != agent_id:
                        await admin.patch(f"/v1/agents/{other['id']}", json={"queues": ["general"]})
                key = (await admin.post("/v1/api-keys", json={"role": "agent", "agent_id": agent_id})).json()["key"]
                async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
                    assert (await client.put("/v1/agents/me/presence", json={"status": "available"})).status_code == 200
                    agent, connected = Desk(client), asyncio.Event()
                    listening = asyncio.create_task(agent.listen(connected))
                    await asyncio.wait_for(connected.wait(), 10)
                    try:
                        yield agent, {"base": base, "smtp": smtp_port, "relay": relay, "twilio": twilio}
                    finally:
                        listening.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await listening
        finally:
            stop(proc)


async def test_an_agent_answers_email_sms_and_chat_through_each_customers_channel(
    desk: tuple[Desk, dict[str, Any]],
) -> None:
    agent, where = desk
    relay: Relay = where["relay"]
    twilio: TwilioApi = where["twilio"]
    known: set[str] = set()

    # Email: the reply threads in the customer's client, and the customer's answer threads back.
    await smtp_send(where["smtp"], email("<first-48213@example.dk>"))
    conversation, seen = await agent.take(known)
    [message] = seen["items"]
    assert (message["channel"], message["sender"]["address"], message["subject"]) == (
        "email",
        "kirsten@example.dk",
        "Returnering",
    )
    assert seen["default_reply_channel"] == "email"
    sent = await agent.reply(conversation, "Vi sender en returlabel i dag.")
    [mail] = relay.received
    assert mail["Message-ID"] == sent["provider_ref"]
    assert (mail["In-Reply-To"], mail["References"]) == ("<first-48213@example.dk>", "<first-48213@example.dk>")
    references = f"{mail['References']} {mail['Message-ID']}"
    await smtp_send(
        where["smtp"], email("<second-48213@example.dk>", In_Reply_To=mail["Message-ID"], References=references)
    )

    async def answered() -> list[dict[str, Any]] | None:
        items = (await agent.client.get(f"/v1/conversations/{conversation}")).json()["items"]
        return items if [i["type"] for i in items] == ["message", "reply", "message"] else None

    await until(answered)

    # SMS: signed as Twilio signs it; the reply goes through Twilio's REST API from the number written to.
    form = {"MessageSid": "SM" + "1" * 32, "AccountSid": TWILIO_SID, "From": "+4520515151", "To": "+4570101010",
            "Body": REFUND, "NumMedia": "0"}  # fmt: skip
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{where['base']}/v1/webhooks/twilio/sms", form)
    async with httpx.AsyncClient(base_url=where["base"]) as provider:
        r = await provider.post("/v1/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})
        assert r.status_code == 200, r.text
    conversation, seen = await agent.take(known)
    assert seen["default_reply_channel"] == "sms"
    sent = await agent.reply(conversation, "Hej! Refusionen er på vej.")
    assert twilio.refused == []
    assert [(f["To"], f["From"], f["Body"]) for f in twilio.sent] == [
        ("+4520515151", "+4570101010", "Hej! Refusionen er på vej.")
    ]
    assert sent["provider_ref"].startswith("SM")

    # Chat: the visitor writes and leaves; the reply written meanwhile arrives when the visitor resumes.
    ws_url = where["base"].replace("http://", "ws://") + "/v1/chat/ws"
    async with connect(ws_url) as ws:
        session = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "message", "text": REFUND, "client_id": "c1"}))
        assert json.loads(await ws.recv())["type"] == "ack"
    conversation, seen = await agent.take(known)
    assert conversation == session["conversation_id"]
    r = await agent.client.post(f"/v1/conversations/{conversation}/replies", json={"text": "Velkommen tilbage!"})
    assert r.status_code == 202
    async with connect(f"{ws_url}?resume={quote(session['resume_token'])}") as ws:
        assert json.loads(await ws.recv())["resumed"] is True
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert (frame["type"], frame["id"], frame["text"]) == ("reply", r.json()["id"], "Velkommen tilbage!")
