"""``/docs`` (Swagger UI) and ``/redoc`` served with no internet access: the assets come from a package.

The pages load only same-origin scripts (no inline script), so they pass the strict Content-Security-Policy
that ``gateway.access`` puts on HTML.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response

from shared.errors import NotFound

ASSETS = files("fastapi_offline") / "static"
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
SWAGGER_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset], layout: "BaseLayout"
  });
});
"""
REDOC_INIT = """window.addEventListener("load", function () {
  Redoc.init("/openapi.json", {}, document.getElementById("redoc"));
});
"""
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="/docs/assets/favicon.png">{head}</head>
<body><div id="{element}"></div>{scripts}</body></html>
"""


def install(app: FastAPI) -> None:
    """Serve the documentation pages and their assets (FastAPI's own CDN-loading pages are turned off)."""
    router = APIRouter(include_in_schema=False)
    title = app.title

    @router.get("/docs", response_class=HTMLResponse)
    async def swagger() -> HTMLResponse:
        head = '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">'
        scripts = _scripts("swagger-ui-bundle.js", "swagger-init.js")
        return HTMLResponse(_PAGE.format(title=f"{title} API", head=head, element="swagger-ui", scripts=scripts))

    @router.get("/redoc", response_class=HTMLResponse)
    async def redoc() -> HTMLResponse:
        scripts = _scripts("redoc.standalone.js", "redoc-init.js")
        return HTMLResponse(_PAGE.format(title=f"{title} API", head="", element="redoc", scripts=scripts))

    @router.get("/docs/assets/{name}")
    async def asset(name: str) -> Response:
        headers = {"Cache-Control": "public, max-age=86400"}
        if name == "swagger-init.js":
            return Response(SWAGGER_INIT, media_type="text/javascript", headers=headers)
        if name == "redoc-init.js":
            return Response(REDOC_INIT, media_type="text/javascript", headers=headers)
        if name not in ASSET_TYPES:
            raise NotFound("no such documentation asset")
        return Response((ASSETS / name).read_bytes(), media_type=ASSET_TYPES[name], headers=headers)

    app.include_router(router)


def _scripts(*names: str) -> str:
    return "".join(f'<script src="/docs/assets/{name}"></script>' for name in names)
