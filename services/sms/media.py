"""Fetching MMS media from the provider's own hosts only: never into a private network, with size and time
limits. Off by default (``SWITCHBOARD_MMS_FETCH``); the message keeps the media URLs either way."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

Resolver = Callable[[str], Awaitable[list[str]]]

TWILIO_HOSTS = ("api.twilio.com",)
"""Where Twilio's MediaUrl points; fetched with the account's credentials."""
TWILIO_REDIRECT_HOSTS = (".twilio.com", ".twiliocdn.com", "s3-external-1.amazonaws.com")
"""Where Twilio redirects a media request to (its CDN and storage), fetched without credentials."""
MAX_REDIRECTS = 3


class MediaRefused(Exception):
    """A media item was not fetched: a host outside the provider's, a private address, too large, an error."""


@dataclass(frozen=True)
class Fetched:
    """A fetched media item."""

    content_type: str
    data: bytes


async def system_resolve(host: str) -> list[str]:
    """The addresses ``host`` resolves to, by the system resolver (off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """Whether ``host`` is one of ``allowed`` (an entry starting with a dot allows its subdomains)."""
    host = host.lower().rstrip(".")
    return any(host.endswith(a) if a.startswith(".") else host == a for a in allowed)


def public_address(address: str) -> bool:
    """Whether ``address`` is a globally routable unicast address (not private, loopback, link-local...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class MediaFetcher:
    """Fetches one media item: https only, the provider's hosts only, every address the host resolves to must
    be public, and the connection goes to that checked address (no second lookup to rebind)."""

    def __init__(self, *, transport: httpx.AsyncBaseTransport | None = None, resolve: Resolver = system_resolve):
        self.transport = transport
        self.resolve = resolve

    async def fetch(self, url: str, *, auth: tuple[str, str] | None, limit: int, timeout: float) -> Fetched:
        """GET ``url`` (credentials only to the first-party host), following up to three redirects."""
        async with httpx.AsyncClient(transport=self.transport, timeout=timeout, follow_redirects=False) as client:
            target = httpx.URL(url)
            allowed: Sequence[str] = TWILIO_HOSTS
            for _ in range(MAX_REDIRECTS + 1):
                request = await self._pinned(client, target, allowed, auth)
                response = await client.send(request, stream=True)
                try:
                    if response.is_redirect and "location" in response.headers:
                        target = target.join(response.headers["location"])
                        allowed, auth = TWILIO_REDIRECT_HOSTS + TWILIO_HOSTS, None
                        continue
                    if response.status_code != 200:
                        raise MediaRefused(f"the media host answered {response.status_code}")
                    data = await _read(response, limit)
                    content_type = response.headers.get("content-type", "application/octet-stream")
                    return Fetched(content_type.split(";", 1)[0].strip().lower()[:127], data)
                finally:
                    await response.aclose()
        raise MediaRefused("too many redirects")

    async def _pinned(
        self, client: httpx.AsyncClient, url: httpx.URL, allowed: Sequence[str], auth: tuple[str, str] | None
    ) -> httpx.Request:
        if url.scheme != "https" or not host_allowed(url.host, allowed):
            raise MediaRefused("the media URL is not on the provider's media hosts")
        try:
            addresses = await self.resolve(url.host)
        except OSError:
            raise MediaRefused("the media host does not resolve") from None
        if not addresses or not all(public_address(a) for a in addresses):
            raise MediaRefused("the media host resolves to a private or reserved address")
        headers = {"Host": url.netloc.decode("ascii")}
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        request = client.build_request("GET", url.copy_with(host=addresses[0]), headers=headers)
        request.extensions["sni_hostname"] = url.host
        return request


async def _read(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise MediaRefused("the media item is over the size limit")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise MediaRefused("the media item is over the size limit")
        chunks.append(chunk)
    return b"".join(chunks)
