"""An agent's event stream (Server-Sent Events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query

from gateway.deps import AgentDep
from gateway.push import EVENT_NAMES, PushDep, stream_for
from gateway.push.stream import EventStream

MAX_ID = 10**18 - 1
AFTER_DOC = "`Last-Event-ID` for clients that cannot set the header (a browser's first `EventSource` request)."
router = APIRouter(prefix="/v1/agents", tags=["agents"])

DESCRIPTION = (
    "Your events as Server-Sent Events, as they happen in any gateway or router process. Event types: "
    + ", ".join(f"`{name}`" for name in EVENT_NAMES)
    + ". Each carries its activity id (`id:`), the assignment, conversation, queue and time, and a `reason` for "
    "withdrawals. Reconnect with `Last-Event-ID` (or `?after=`) to get exactly what you missed; when that is "
    "more than the server replays, a `stream.reset` event tells you to read your assignments afresh. Comment "
    "lines (`: heartbeat`) keep an idle stream alive. A stream ends after the server's stream lifetime; "
    "reconnecting resumes it. A `Last-Event-ID` that is not an id this stream sent is ignored (the stream starts "
    "from now). Past the key's cap on open streams: 429."
)


@router.get(
    "/me/events",
    response_class=EventStream,
    status_code=200,
    description=DESCRIPTION,
    responses={
        200: {
            "description": "A `text/event-stream`; each event's `id` is its activity id.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        429: {"description": "This key holds as many open streams as it may."},
    },
)
async def my_events(
    principal: AgentDep,
    push: PushDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID, description=AFTER_DOC)] = None,
) -> EventStream:
    """Your events as Server-Sent Events (the description lists them)."""
    assert principal.agent_id is not None
    resume = _event_id(last_event_id) if last_event_id is not None else after
    return stream_for(push, principal.key_id, principal.agent_id, resume)


def _event_id(value: str) -> int | None:
    """An id this server could have sent (a non-negative 63-bit integer), else None."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)):
        return int(value)
    return None
