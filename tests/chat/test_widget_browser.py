"""The widget in a real headless Chromium, on a page of another origin: chat, resume on reload, REST."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import eventually, routed
from tests.api.conversation_support import REFUND_TEXT, available_agent, offer_of
from tests.chat.browser import Chromium, ShopPage
from tests.chat.conftest import rule_first
from tests.chat.server import Server, chat_settings
from tests.e2e.server import free_port

SHADOW = "document.getElementById('switchboard-chat').shadowRoot"
SENT = f"{SHADOW}.querySelector('li[data-state=sent]:last-of-type').dataset.messageId"


def type_and_send(text: str) -> str:
    """Type into the widget's box and press its Send button, as a visitor would."""
    return (f"(() => {{ const r = {SHADOW}; r.querySelector('textarea').value = {text!r};"
            " r.querySelector('button[type=submit]').click(); return true; })()")  # fmt: skip


async def test_a_visitor_chats_from_a_listed_site_and_a_reload_resumes_the_conversation(tmp_path: Path) -> None:
    shop_port = free_port()
    settings = chat_settings(tmp_path, chat_origins=(f"http://127.0.0.1:{shop_port}",))
    with Server(settings) as server, ShopPage(shop_port, f"{server.http}/v1/chat/widget.js") as shop:
        async with Chromium(tmp_path / "profile") as page, server.admin() as admin:
            await page.goto(shop.origin + "/")
            await page.until("window.SwitchboardChat.state().connected")
            await page.js(type_and_send("Hello from the shop, where is order 4711?"))
            first_id = await page.until(SENT)
            session_id = await page.js("window.SwitchboardChat.state().session_id")
            await page.goto(shop.origin + "/")
            await page.until("window.SwitchboardChat.state().connected")
            resumed_session = await page.js("window.SwitchboardChat.state().session_id")
            await page.js("window.SwitchboardChat.send('Me again') && true")
            second_id = await page.until(SENT)
            first, second = await routed(admin, first_id), await routed(admin, second_id)
    assert resumed_session == session_id
    assert first["sender"]["address"] == session_id
    assert first["text"] == "Hello from the shop, where is order 4711?"
    assert second["conversation_id"] == first["conversation_id"]


async def test_the_widget_falls_back_to_rest_through_cors_and_identifies_the_visitor(tmp_path: Path) -> None:
    shop_port = free_port()
    settings = chat_settings(tmp_path, chat_origins=(f"http://127.0.0.1:{shop_port}",))
    with Server(settings) as server, ShopPage(shop_port, f"{server.http}/v1/chat/widget.js") as shop:
        async with Chromium(tmp_path / "profile") as page, server.admin() as admin:
            await rule_first(admin, {"id": "vip", "when": 'customer.tier == "vip"', "action": {"queue": "escalations"}})
            await admin.put("/v1/contacts", json={"channel": "email", "address": "ida@example.com", "tier": "vip"})
            await page.goto(shop.origin + "/rest")
            await page.until("window.SwitchboardChat")
            await page.js("window.SwitchboardChat.identify({email: 'Ida@Example.com', name: 'Ida'}) || true")
            await page.js(type_and_send("My refund has not arrived"))
            message_id = await page.until(SENT)
            state = await page.js("window.SwitchboardChat.state()")
            message = await routed(admin, message_id)
    assert state["transport"] == "rest"
    assert message["sender"] == {"kind": "chat_session", "address": state["session_id"], "name": "Ida"}
    assert message["decision"]["queue"] == "escalations"


async def test_a_site_that_is_not_listed_gets_no_chat(tmp_path: Path) -> None:
    shop_port = free_port()
    with Server(chat_settings(tmp_path)) as server, ShopPage(shop_port, f"{server.http}/v1/chat/widget.js") as shop:
        async with Chromium(tmp_path / "profile") as page, server.admin() as admin:
            await page.goto(shop.origin + "/")
            await page.until("window.SwitchboardChat")
            await page.js("window.SwitchboardChat.send('Anyone?') && true")
            await page.until(f"{SHADOW}.querySelector('li[data-state=sending]') !== null")
            state = await page.js("window.SwitchboardChat.state()")
            listed = (await admin.get("/v1/messages", params={"channel": "chat"})).json()
    assert state["connected"] is False
    assert state["session_id"] is None
    assert listed == []


async def test_the_widget_shows_the_agents_reply_and_acknowledges_it(tmp_path: Path) -> None:
    shop_port = free_port()
    settings = chat_settings(tmp_path, chat_origins=(f"http://127.0.0.1:{shop_port}",), reply_poll_seconds=0.05)
    with Server(settings) as server, ShopPage(shop_port, f"{server.http}/v1/chat/widget.js") as shop:
        async with Chromium(tmp_path / "profile") as page, server.admin() as admin:
            _, agent = await available_agent(admin)
            await page.goto(shop.origin + "/")
            await page.until("window.SwitchboardChat.state().connected")
            await page.js(type_and_send(REFUND_TEXT))
            conversation = (await routed(admin, await page.until(SENT)))["conversation_id"]
            offer = await offer_of(agent, conversation)
            assert (await agent.post(f"/v1/assignments/{offer['id']}/accept")).status_code == 200
            r = await agent.post(f"/v1/conversations/{conversation}/replies", json={"text": "Hej, jeg hjælper dig."})
            shown = await page.until(
                f"{SHADOW}.querySelector('li.a') && {SHADOW}.querySelector('li.a').firstChild.data"
            )
            assert shown == "Hej, jeg hjælper dig."

            async def seen() -> bool:
                items = (await agent.get(f"/v1/conversations/{conversation}")).json()["items"]
                return any(i["id"] == r.json()["id"] and i["seen_at"] for i in items)

            await eventually(seen)
