"""Replies leave through real servers on loopback: an SMTP relay (aiosmtpd) and a Twilio REST stand-in that
checks each request. The embedded router's reply sender retries with small configured delays."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from services.email import bound_port
from services.routers import listeners
from shared.db.models import Activity
from shared.settings import Settings
from tests.api.conftest import eventually, make_settings, routed
from tests.api.conversation_support import SMS, accepted, available_agent, offer_of, reply_status
from tests.relays import TWILIO_SID, TWILIO_TOKEN, Relay, TwilioApi

pytestmark = pytest.mark.asyncio


@pytest.fixture
def relay() -> Iterator[Relay]:
    with Relay() as running:
        yield running


@pytest.fixture
def twilio() -> Iterator[TwilioApi]:
    with TwilioApi() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path, database_url: str, relay: Relay, twilio: TwilioApi) -> Settings:
    """Replies to the test's relay and Twilio, three attempts 50 ms apart (doubling)."""
    return make_settings(
        tmp_path,
        database_url=database_url,
        smtp_relay=relay.address,
        mail_from="support@example.com",
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_api_base_url=twilio.base_url,
        reply_max_attempts=3,
        reply_retry_base_seconds=0.05,
        reply_poll_seconds=0.05,
    )


@pytest.fixture
async def smtp_port(app: FastAPI) -> AsyncIterator[int]:
    async with listeners(app.state.deps, smtp_port=0) as servers:
        yield bound_port(servers["smtp"])


def customer_mail(message_id: str, *, in_reply_to: str | None = None, references: str | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Kirsten <kirsten@example.dk>"
    mail["To"] = "help@example.com"
    mail["Subject"] = "Returnering" if in_reply_to is None else "Re: Returnering"
    mail["Message-ID"] = message_id
    if in_reply_to is not None:
        mail["In-Reply-To"] = in_reply_to
    if references is not None:
        mail["References"] = references
    mail.set_content("Jeg vil returnere varen og have refusion, ordre 48213")
    return mail


async def deliver(port: int, mail: EmailMessage) -> None:
    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.send_message(mail)

    await asyncio.to_thread(send)


async def routed_mail(client: httpx.AsyncClient, message_id: str) -> dict[str, Any]:
    """The routed message whose Message-ID is ``message_id`` (without brackets)."""

    async def check() -> dict[str, Any] | None:
        found = [m for m in (await client.get("/v1/messages")).json() if m["external_id"] == message_id]
        return found[0] if found else None

    result: dict[str, Any] = await eventually(check)
    return await routed(client, result["id"])


async def test_a_relay_that_refuses_twice_gets_the_reply_on_the_third_attempt_and_the_answer_threads_back(
    client: httpx.AsyncClient, relay: Relay, smtp_port: int
) -> None:
    _, agent = await available_agent(client)
    await deliver(smtp_port, customer_mail("<first-48213@example.dk>"))
    first = await routed_mail(client, "first-48213@example.dk")
    conversation = first["conversation_id"]
    offer = await offer_of(agent, conversation)
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    relay.refuse_next = 2

    r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Vi sender en returlabel."})
    assert r.status_code == 202, r.text
    sent = await reply_status(agent, conversation, r.json()["id"], "sent", "failed")
    assert (sent["status"], sent["attempts"], sent["last_error"]) == ("sent", 3, None)
    [mail] = relay.received
    assert relay.envelopes == [("support@example.com", ["kirsten@example.dk"])]
    assert mail["Message-ID"] == sent["provider_ref"]
    assert sent["provider_ref"].endswith("@example.com>")
    assert mail["In-Reply-To"] == "<first-48213@example.dk>"
    assert mail["References"] == "<first-48213@example.dk>"
    assert mail["Subject"] == "Re: Returnering"
    assert mail.get_content().strip() == "Vi sender en returlabel."

    # The customer's client names only our Message-ID: the replies table threads it back all the same.
    await deliver(smtp_port, customer_mail("<second-48213@example.dk>", in_reply_to=sent["provider_ref"]))
    second = await routed_mail(client, "second-48213@example.dk")
    assert second["conversation_id"] == conversation
    # One that keeps References (root first) threads by the root.
    references = f"<first-48213@example.dk> {sent['provider_ref']}"
    await deliver(
        smtp_port, customer_mail("<third@example.dk>", in_reply_to=sent["provider_ref"], references=references)
    )
    assert (await routed_mail(client, "third@example.dk"))["conversation_id"] == conversation


async def test_someone_else_answering_our_message_id_does_not_join_the_conversation(
    client: httpx.AsyncClient, relay: Relay, smtp_port: int
) -> None:
    _, agent = await available_agent(client)
    await deliver(smtp_port, customer_mail("<first@example.dk>"))
    conversation = (await routed_mail(client, "first@example.dk"))["conversation_id"]
    offer = await offer_of(agent, conversation)
    assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
    r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej"})
    sent = await reply_status(agent, conversation, r.json()["id"], "sent")
    forged = customer_mail("<forged@example.org>", in_reply_to=sent["provider_ref"])
    forged.replace_header("From", "Mallory <mallory@example.org>")
    await deliver(smtp_port, forged)
    assert (await routed_mail(client, "forged@example.org"))["conversation_id"] != conversation


async def test_a_relay_that_always_refuses_leaves_the_reply_failed_in_the_conversation_with_an_activity_row(
    app: FastAPI, client: httpx.AsyncClient, relay: Relay
) -> None:
    agent_id, agent = await available_agent(client)
    relay.refuse_next = 1000
    email = {"channel": "email", "sender": {"address": "kirsten@example.dk"}, "text": SMS["text"]}
    conversation = (await accepted(client, agent, email))["conversation_id"]
    r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej"})
    failed = await reply_status(agent, conversation, r.json()["id"], "failed", "sent")
    assert (failed["status"], failed["attempts"]) == ("failed", 3)
    assert "451" in failed["last_error"]
    assert relay.attempts == 3
    assert relay.received == []
    async with app.state.deps.sessions() as session:
        [row] = await session.scalars(select(Activity).where(Activity.type == "conversation.reply_failed"))
    assert (row.conversation_id, row.agent_id, row.data["reply_id"]) == (conversation, agent_id, r.json()["id"])
    assert "Hej" not in str(row.data)


async def test_an_sms_reply_goes_through_the_twilio_rest_api_from_the_number_the_customer_wrote_to(
    client: httpx.AsyncClient, twilio: TwilioApi
) -> None:
    _, agent = await available_agent(client)
    conversation = (await accepted(client, agent, SMS))["conversation_id"]
    r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej! Vi ordner det."})
    sent = await reply_status(agent, conversation, r.json()["id"], "sent", "failed")
    assert sent["status"] == "sent", sent
    assert twilio.refused == []
    assert [{k: f[k] for k in ("To", "From", "Body")} for f in twilio.sent] == [
        {"To": "+4520515151", "From": "+4570101010", "Body": "Hej! Vi ordner det."}
    ]
    assert sent["provider_ref"] == f"SM{1:032d}"
