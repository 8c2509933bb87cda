"""PlainRoute: an endpoint called as it is, still documented and still answered by the app's error handlers."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from gateway import problems
from services.common import PlainRoute
from shared.errors import InvalidRequest


def app_with(router: APIRouter) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    app.include_router(router)
    return app


async def echo(request: Request) -> Response:
    """Echo the body; refuse an empty one."""
    body = await request.body()
    if not body:
        raise InvalidRequest("the body is empty")
    return Response(body, media_type="text/plain")


async def test_the_endpoint_answers_and_its_errors_become_problems() -> None:
    router = APIRouter()
    router.add_api_route("/echo", echo, methods=["POST"], response_class=Response, route_class_override=PlainRoute)
    transport = httpx.ASGITransport(app=app_with(router))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ok = await client.post("/echo", content=b"hej")
        refused = await client.post("/echo")
        wrong_method = await client.get("/echo")
    assert (ok.status_code, ok.text) == (200, "hej")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == problems.PROBLEM
    assert refused.json()["detail"] == "the body is empty"
    assert wrong_method.status_code == 405


def test_the_route_stays_in_the_openapi_document() -> None:
    router = APIRouter()
    router.add_api_route("/echo", echo, methods=["POST"], response_class=Response, route_class_override=PlainRoute,
                         responses={200: {"content": {"text/plain": {}}, "description": "The body"}})  # fmt: skip
    operation = app_with(router).openapi()["paths"]["/echo"]["post"]
    assert operation["description"] == "Echo the body; refuse an empty one."
    assert operation["responses"]["200"]["description"] == "The body"
    assert "parameters" not in operation
    assert "requestBody" not in operation


def test_an_endpoint_with_parameters_or_dependencies_is_refused() -> None:
    async def with_query(request: Request, limit: int) -> Response:
        return Response()

    def blocking(request: Request) -> Response:
        return Response()

    for endpoint in (with_query, blocking):
        with pytest.raises(TypeError, match="takes the request alone"):
            APIRouter().add_api_route("/x", endpoint, methods=["POST"], route_class_override=PlainRoute)
