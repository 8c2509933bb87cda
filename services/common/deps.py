"""The resources an adapter is lent by its composition root, and the FastAPI dependency that finds them.

The composition root puts an object with these attributes on ``app.state.deps`` (the gateway's own
``GatewayDeps`` has them all), so the same adapter routes serve inside the embedded process, beside the
gateway, and in a process of their own.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.blobs import BlobStore
from shared.bus import Bus
from shared.settings import Settings


class AdapterDeps(Protocol):
    """What an adapter needs: settings, the bus it publishes to, attachment storage and the database."""

    @property
    def settings(self) -> Settings: ...

    @property
    def bus(self) -> Bus: ...

    @property
    def blobs(self) -> BlobStore: ...

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...


def deps_of(request: Request) -> AdapterDeps:
    """The adapter resources of the app serving ``request``."""
    deps: AdapterDeps = request.app.state.deps
    return deps


async def adapter_deps(request: Request) -> AdapterDeps:
    """The adapter resources of the app serving this request, as a dependency (async: no thread-pool hop)."""
    return deps_of(request)


AdapterDepsDep = Annotated[AdapterDeps, Depends(adapter_deps)]
