"""Baselines for the ingest benchmarks: bare FastAPI endpoints taking the same bodies, no auth, no writes."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response

from gateway.schemas import MessageIn

app = FastAPI()


@app.post("/v1/messages", status_code=202)
async def ingest(body: MessageIn) -> dict[str, str]:
    """Validate and answer."""
    return {"id": "x", "conversation_id": "y"}


@app.post("/v1/webhooks/twilio/sms")
async def twilio_form(request: Request) -> Response:
    """The baseline for the Twilio webhook benchmark: read and parse the form, answer empty TwiML."""
    parse_qsl((await request.body()).decode())
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', media_type="application/xml")
