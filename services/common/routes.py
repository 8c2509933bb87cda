"""A leaner route for the providers' hottest webhooks."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class PlainRoute(APIRoute):
    """A route whose endpoint takes the ``Request`` alone and returns its ``Response``, called as it is.

    FastAPI still documents it (path, responses, description) and the app's exception handlers still answer
    what it raises; skipped are the per-request steps such an endpoint has no use for: solving its (empty)
    dependencies, validating parameters and serializing a return value.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The endpoint itself, once it is checked to be ``async def endpoint(request: Request) -> Response``."""
        parameters = list(inspect.signature(self.endpoint).parameters.values())
        if not inspect.iscoroutinefunction(self.endpoint) or len(parameters) != 1 or self.dependencies:
            raise TypeError(f"{self.path}: a PlainRoute endpoint is async and takes the request alone")
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint
