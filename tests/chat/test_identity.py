"""Identity verification: with SWITCHBOARD_CHAT_IDENTITY_SECRET set, only an identify the website signed links the
chat to the known contact (its tier for the router, its history for agents); real WebSocket and HTTP clients."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import routed
from tests.chat.conftest import exchange, open_chat, rule_first
from tests.chat.server import Server, chat_settings

SECRET = "site-identity-secret-0123456789"
VIP = {"id": "vip", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}}


def signed(address: str, secret: str = SECRET) -> str:
    """What the website's server computes for its logged-in customer (written here from the README's recipe)."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with Server(chat_settings(tmp_path, chat_identity_secret=SECRET)) as running:
        yield running


async def vip_contact(admin: httpx.AsyncClient) -> None:
    await rule_first(admin, VIP)
    contact = {"channel": "email", "address": "vera@example.com", "tier": "vip", "identities": ["+4520555555"]}
    assert (await admin.put("/v1/contacts", json=contact)).status_code == 200


async def conversation(admin: httpx.AsyncClient, conversation_id: str) -> dict[str, Any]:
    r = await admin.get(f"/v1/conversations/{conversation_id}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_a_signed_identify_links_the_contact_and_an_unsigned_one_is_only_recorded(server: Server) -> None:
    async with server.admin() as admin:
        await vip_contact(admin)
        vera, vera_session = await open_chat(server)
        # The site signs the address exactly as its page passes it; Switchboard normalizes after checking.
        vouched = await exchange(vera, {"type": "identify", "email": " Vera@Example.com", "name": "Vera",
                                        "signature": signed(" Vera@Example.com").upper()})  # fmt: skip
        sent = await exchange(vera, {"type": "message", "text": "Hi, my order has not arrived", "client_id": "1"})
        impostor, impostor_session = await open_chat(server)
        claim = await exchange(impostor, {"type": "identify", "email": "vera@example.com"})
        claimed = await exchange(
            impostor, {"type": "message", "text": "Hi, my order has not arrived", "client_id": "1"}
        )
        await vera.close()
        await impostor.close()
        routed_vera, routed_impostor = (
            await routed(admin, sent["message_id"]),
            await routed(admin, claimed["message_id"]),
        )
        view_vera = await conversation(admin, vera_session["conversation_id"])
        view_impostor = await conversation(admin, impostor_session["conversation_id"])
    assert vouched == {"type": "identified", "verified": True}
    assert claim == {"type": "identified", "verified": False}
    assert routed_vera["decision"]["queue"] == "escalations"
    assert routed_vera["metadata"]["visitor_email"] == "vera@example.com"
    assert routed_vera["metadata"]["visitor_verified"] == "true"
    assert routed_impostor["decision"]["queue"] != "escalations", "an unsigned claim does not get the contact's tier"
    assert routed_impostor["metadata"]["visitor_email"] == "vera@example.com", "the claim is still recorded"
    assert routed_impostor["metadata"]["visitor_verified"] == "false"
    assert view_vera["contact"] is not None
    assert view_vera["contact"]["address"] == "vera@example.com"
    assert view_impostor["contact"] is None, "agents do not see the contact's details for an unsigned claim"
    assert view_impostor["history"] == []


async def test_a_wrong_signature_is_refused_and_keeps_the_earlier_link(server: Server) -> None:
    async with server.admin() as admin:
        await vip_contact(admin)
        ws, _ = await open_chat(server)
        first = await exchange(ws, {"type": "identify", "phone": "+4520555555", "signature": signed("+4520555555")})
        other_secret = await exchange(
            ws, {"type": "identify", "phone": "+4520555555", "signature": signed("+4520555555", "another-secret")}
        )
        other_address = await exchange(ws, {"type": "identify", "email": "eve@example.com", "signature": signed("x")})
        malformed = await exchange(ws, {"type": "identify", "email": "eve@example.com", "signature": "not hex"})
        sent = await exchange(ws, {"type": "message", "text": "Where is my parcel?", "client_id": "p"})
        await ws.close()
        message = await routed(admin, sent["message_id"])
    assert first == {"type": "identified", "verified": True}
    assert other_secret["code"] == other_address["code"] == "signature-invalid"
    assert other_secret["retry"] is False
    assert malformed["code"] == "bad-frame"
    assert "eve@example.com" not in str([other_address, malformed]), "input is never echoed"
    assert message["metadata"]["visitor_phone"] == "+4520555555", "a refused identify records nothing"
    assert message["decision"]["queue"] == "escalations"


async def test_rest_identify_checks_the_signature_too(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.http) as visitor, server.admin() as admin:
        await vip_contact(admin)
        session = (await visitor.post("/v1/chat/sessions")).json()
        headers = {"X-Resume-Token": session["resume_token"]}
        base = f"/v1/chat/sessions/{session['session_id']}"
        forged = await visitor.post(f"{base}/identify", json={"email": "vera@example.com", "signature": "ab" * 32},
                                    headers=headers)  # fmt: skip
        vouched = await visitor.post(
            f"{base}/identify", json={"email": "vera@example.com", "signature": signed("vera@example.com")},
            headers=headers,
        )  # fmt: skip
        sent = await visitor.post(f"{base}/messages", json={"text": "My parcel is late"}, headers=headers)
        message = await routed(admin, sent.json()["message_id"])
    assert forged.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["type"].endswith("/signature-invalid")
    assert vouched.status_code == 204
    assert message["decision"]["queue"] == "escalations"
    assert message["metadata"]["visitor_verified"] == "true"


async def test_without_a_secret_every_claim_links_and_is_marked_unverified(tmp_path: Path) -> None:
    with Server(chat_settings(tmp_path)) as server:
        async with server.admin() as admin:
            await vip_contact(admin)
            ws, _ = await open_chat(server)
            # A signature cannot be checked without the secret: the claim is trusted, as every claim is.
            answer = await exchange(ws, {"type": "identify", "email": "vera@example.com", "signature": "ab" * 32})
            sent = await exchange(ws, {"type": "message", "text": "Hi, my order has not arrived", "client_id": "1"})
            await ws.close()
            message = await routed(admin, sent["message_id"])
    assert answer == {"type": "identified", "verified": False}
    assert message["decision"]["queue"] == "escalations"
    assert message["metadata"]["visitor_verified"] == "false"
