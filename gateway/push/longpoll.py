"""The long-poll of an agent's assignments: answer once the list differs from what the client has seen.

What the client has seen is named by the list's ``ETag`` (sent back as ``If-None-Match``); a client that
sends none has seen nothing yet and gets the list at once (waiting for a change from the list as it happened
to be on arrival would hold a client that starts up after its first offer until the timeout). The list is
read again whenever the feed brings a row naming the agent, each time in a short session of its own: a
waiting request holds no database connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from gateway.push.hub import Push
from shared.auth import Principal

ETAG_HEADER = "ETag"
WAIT_DOC = (
    "Long-poll: hold the answer up to this many seconds until your assignments differ from the list whose "
    "`ETag` you send as `If-None-Match` (without it the list comes back at once). At the timeout the current "
    "list comes back anyway: an unchanged `ETag` means nothing changed."
)
T = TypeVar("T", bound=BaseModel)


def etag(items: Sequence[BaseModel]) -> str:
    """A strong entity tag of the list as served."""
    body = json.dumps([i.model_dump(mode="json") for i in items], sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def seen_tags(if_none_match: str | None) -> set[str]:
    """The entity tags an ``If-None-Match`` header names (weak ones compared as strong)."""
    if not if_none_match:
        return set()
    return {t.strip().removeprefix("W/") for t in if_none_match.split(",") if t.strip()}


async def long_poll(
    push: Push,
    principal: Principal,
    read: Callable[[], Awaitable[list[T]]],
    *,
    wait: float,
    if_none_match: str | None,
) -> tuple[list[T], str]:
    """``wait_for_change`` within the key's cap on open long-polls (429 past it)."""
    assert principal.agent_id is not None
    release = push.caps.acquire(principal.key_id, "long-poll")
    try:
        return await wait_for_change(push, principal.agent_id, read, wait=wait, if_none_match=if_none_match)
    finally:
        release()


async def wait_for_change(
    push: Push,
    agent_id: str,
    read: Callable[[], Awaitable[list[T]]],
    *,
    wait: float,
    if_none_match: str | None,
) -> tuple[list[T], str]:
    """The list (and its tag) once it differs from what the client has seen (at once when it names nothing), or
    as it is after ``wait`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, push.settings.push_max_wait_seconds)
    async with push.feed.subscribe(agent_id) as sub:
        current = await read()
        tag = etag(current)
        seen = seen_tags(if_none_match)
        while tag in seen:
            remaining = deadline - loop.time()
            if remaining <= 0 or not await sub.wait(remaining):
                break
            current = await read()
            tag = etag(current)
    return current, tag


__all__ = ["ETAG_HEADER", "WAIT_DOC", "etag", "long_poll", "seen_tags", "wait_for_change"]
