"""Helpers for the SMS webhook tests: requests signed as Twilio and Vonage sign them."""

from __future__ import annotations

import time
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

from services.sms.verify import vonage_signature
from tests.api.conftest import eventually

TWILIO_TOKEN = "twilio-auth-token-0123456789abcdef"
VONAGE_SECRET = "vonage-signature-secret-0123456789"
PUBLIC_URL = "https://sb.example.com"
TWILIO_PATH = "/v1/webhooks/twilio/sms"
VONAGE_PATH = "/v1/webhooks/vonage/sms"


def twilio_form(sid: str, text: str = "Hvor er min pakke? Ordre 123456", **extra: str) -> dict[str, str]:
    """A Twilio inbound SMS as its webhook posts it."""
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": "+4520123456",
        "To": "+4570101010",
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "FromCountry": "DK",
        **extra,
    }


def twilio_signature(form: dict[str, str], *, token: str = TWILIO_TOKEN, url: str = PUBLIC_URL + TWILIO_PATH) -> str:
    """X-Twilio-Signature as Twilio computes it, by the twilio package's own validator."""
    signature: str = RequestValidator(token).compute_signature(url, form)
    return signature


async def post_twilio(client: httpx.AsyncClient, form: dict[str, str], **sign: str) -> httpx.Response:
    """Post ``form`` to the Twilio webhook, signed."""
    headers = {"X-Twilio-Signature": twilio_signature(form, **sign)}
    return await client.post(TWILIO_PATH, data=form, headers=headers)


def vonage_params(message_id: str, text: str = "Where is my order 123456?", **extra: str) -> dict[str, str]:
    """A Vonage inbound SMS as its webhook sends it (unsigned)."""
    return {
        "msisdn": "447700900001",
        "to": "447700900999",
        "messageId": message_id,
        "text": text,
        "type": "text",
        "keyword": text.split()[0].upper() if text.split() else "",
        "api-key": "abcd1234",
        "message-timestamp": "2026-12-03 21:00:00",
        **extra,
    }


def vonage_signed(params: dict[str, str], *, method: str = "sha256", secret: str = VONAGE_SECRET) -> dict[str, str]:
    """``params`` with a fresh timestamp, a nonce and Vonage's ``sig``."""
    signed = params | {"timestamp": str(int(time.time())), "nonce": f"n-{params['messageId']}"}
    return signed | {"sig": vonage_signature(secret, signed, method)}


async def routed_sms(client: httpx.AsyncClient, external_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The routed SMS messages with this provider id, once there are at least ``count``."""

    async def check() -> list[dict[str, Any]] | None:
        listed = (await client.get("/v1/messages", params={"channel": "sms", "limit": 500})).json()
        found = [m for m in listed if m["external_id"] == external_id]
        return found if len(found) >= count and all(m["decision"] for m in found) else None

    result: list[dict[str, Any]] = await eventually(check)
    return result
