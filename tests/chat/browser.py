"""A headless Chromium (Debian's package) driven over the DevTools protocol with a `websockets` client,
and a loopback web page that embeds the chat widget the way a customer's site would."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect


class Chromium:
    """``async with Chromium(tmp) as page:`` one headless browser tab, closed (with its process group) after."""

    def __init__(self, profile: Path) -> None:
        binary = shutil.which("chromium")
        if binary is None:
            pytest.fail("Chromium is missing: run .ci/install-deps.sh (Debian package `chromium`)")
        self.profile = profile
        self.command = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"]  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None
        self.ws: ClientConnection | None = None
        self.calls = 0

    async def __aenter__(self) -> Chromium:
        with (self.profile.parent / "chromium.log").open("ab") as log:
            self.proc = subprocess.Popen(self.command, stdout=log, stderr=log, start_new_session=True)
        endpoint = await asyncio.to_thread(self._endpoint)
        self.ws = await connect(endpoint, max_size=None)
        target = await self.call("Target.createTarget", url="about:blank")
        attached = await self.call("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        self.session = attached["sessionId"]
        await self.call("Page.enable", session=True)
        await self.call("Runtime.enable", session=True)
        return self

    def _endpoint(self) -> str:
        """The browser's DevTools address, from the file Chromium writes into its profile once it listens."""
        assert self.proc is not None
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            lines = active.read_text().split("\n") if active.exists() else []
            if len(lines) >= 2 and lines[0].strip().isdigit():
                return f"ws://127.0.0.1:{lines[0].strip()}{lines[1].strip()}"
            time.sleep(0.05)
        pytest.fail("Chromium did not start its DevTools endpoint")

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(15)

    async def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """One DevTools command (to the tab when ``session``); its result."""
        assert self.ws is not None
        self.calls += 1
        request: dict[str, Any] = {"id": self.calls, "method": method, "params": params}
        if session:
            request["sessionId"] = self.session
        await self.ws.send(json.dumps(request))
        while True:
            answer = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if answer.get("id") == self.calls:
                assert "error" not in answer, answer["error"]
                result: dict[str, Any] = answer["result"]
                return result

    async def goto(self, url: str) -> None:
        """Load ``url`` in the tab."""
        await self.call("Page.navigate", session=True, url=url)

    async def js(self, expression: str) -> Any:
        """Evaluate ``expression`` in the page (awaiting a promise) and return its value."""
        result = await self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                                 awaitPromise=True)  # fmt: skip
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    async def until(self, expression: str, timeout: float = 20) -> Any:
        """Wait until ``expression`` is truthy in the page; its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.js(f"(() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()")
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                pytest.fail(f"the page never showed: {expression}")
            await asyncio.sleep(0.1)


class ShopPage:
    """A customer's web site on its own loopback origin: ``/`` embeds the widget, ``/rest`` forces REST."""

    def __init__(self, port: int, widget_url: str) -> None:
        self.port = port
        html = "<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>{}</body></html>"
        pages = {
            "/": html.format(f'<script src="{widget_url}" data-open="true" async></script>'),
            "/rest": html.format(f'<script src="{widget_url}" data-open="true" data-transport="rest" async></script>'),
        }

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0], "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        """The site's origin, as the browser names it."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ShopPage:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
