"""One customer across channels: a contact's other identities make a message from any of them theirs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from shared.settings import Settings
from tests.api.conftest import make_settings
from tests.api.sms_support import PUBLIC_URL, TWILIO_TOKEN, post_twilio, routed_sms, twilio_form
from tests.api.support import post_and_route

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url=database_url, twilio_auth_token=TWILIO_TOKEN, public_url=PUBLIC_URL)


async def vip_rule(client: httpx.AsyncClient) -> None:
    """Publish a ruleset that sends VIP customers to the escalations queue."""
    active = (await client.get("/v1/rulesets/active")).json()["document"]
    vip_first = {"id": "vip-first", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}}
    version = (await client.post("/v1/rulesets", json={"document": active | {"rules": [vip_first]}})).json()["version"]
    assert (await client.post(f"/v1/rulesets/{version}/publish")).status_code == 200


async def test_the_same_person_by_email_and_by_sms_is_one_known_customer(client: httpx.AsyncClient) -> None:
    await vip_rule(client)
    contact = {"channel": "email", "address": "Kirsten <Kirsten@Example.DK>", "tier": "vip",
               "identities": ["+45 20 12 34 56", "0045 20123456", "KJ@Example.dk"]}  # fmt: skip
    r = await client.put("/v1/contacts", json=contact)
    assert r.status_code == 200, r.text
    assert r.json()["address"] == "kirsten@example.dk"
    assert r.json()["identities"] == ["+4520123456", "kj@example.dk"]
    for address in ("+45 20 12 34 56", "kirsten@example.dk", "KJ@example.dk"):
        found = await client.get(f"/v1/contacts/{address}")
        assert found.status_code == 200
        assert found.json() == r.json()
    assert (await client.get("/v1/contacts/+4599999999")).status_code == 404

    email = await post_and_route(client, {"channel": "email", "sender": {"address": "KIRSTEN@example.dk"},
                                          "subject": "Jakke", "text": "Hvor er min jakke?"})  # fmt: skip
    assert (await post_twilio(client, twilio_form("SM00000000000000000000000000000c01"))).status_code == 200
    [sms] = await routed_sms(client, "SM00000000000000000000000000000c01")
    other = await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520999998"}, "text": "Hej"})
    assert email["decision"]["queue"] == sms["decision"]["queue"] == "escalations"
    assert other["decision"]["queue"] != "escalations"


async def test_identities_are_replaced_by_a_later_put(client: httpx.AsyncClient) -> None:
    await vip_rule(client)
    base = {"channel": "email", "address": "ole@example.dk", "tier": "vip"}
    assert (await client.put("/v1/contacts", json=base | {"identities": ["+4520111111"]})).status_code == 200
    kept = await client.put("/v1/contacts", json=base | {"name": "Ole"})
    assert kept.json()["identities"] == ["+4520111111"], "omitted identities are kept"
    r = await client.put("/v1/contacts", json=base | {"identities": ["+4520222222"]})
    assert r.json()["identities"] == ["+4520222222"]
    old = await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520111111"}, "text": "Hej"})
    new = await post_and_route(client, {"channel": "sms", "sender": {"address": "+4520222222"}, "text": "Hej"})
    assert old["decision"]["queue"] != "escalations"
    assert new["decision"]["queue"] == "escalations"


async def test_an_address_belongs_to_one_contact_only(client: httpx.AsyncClient) -> None:
    a = {"channel": "email", "address": "a@example.dk", "identities": ["+4520333333"]}
    assert (await client.put("/v1/contacts", json=a)).status_code == 200
    assert (await client.put("/v1/contacts", json={"channel": "sms", "address": "+4520444444"})).status_code == 200
    taken = {"channel": "email", "address": "b@example.dk"}
    for identities in (["+4520333333"], ["+45 20 44 44 44"], ["A@example.dk"]):
        r = await client.put("/v1/contacts", json=taken | {"identities": identities})
        assert r.status_code == 409, identities
        assert r.headers["content-type"] == "application/problem+json"
    r = await client.put("/v1/contacts", json={"channel": "sms", "address": "+4520333333"})
    assert r.status_code == 409, "a contact's identity cannot become another contact"


@pytest.mark.parametrize("identity", ["20123456", "not-an-address", "a@b", "@"])
async def test_an_identity_that_is_neither_a_phone_number_nor_an_email_is_refused(
    client: httpx.AsyncClient, identity: str
) -> None:
    r = await client.put("/v1/contacts", json={"channel": "email", "address": "c@example.dk", "identities": [identity]})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("identities: ")
