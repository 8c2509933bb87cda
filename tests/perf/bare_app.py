"""The baseline for the ingest benchmark: a bare FastAPI endpoint taking the same body, no auth, no writes."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.schemas import MessageIn

app = FastAPI()


@app.post("/v1/messages", status_code=202)
async def ingest(body: MessageIn) -> dict[str, str]:
    """Validate and answer."""
    return {"id": "x", "conversation_id": "y"}
