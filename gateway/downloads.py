"""Attachments served as downloads: never rendered inline by a browser, with names that cannot inject headers."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from fastapi import Response

DOWNLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "the attachment's bytes"}
}


def download(data: bytes, attachment: Mapping[str, object]) -> Response:
    """The bytes of one stored attachment (its ``name`` and ``content_type`` as the message recorded them)."""
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(str(attachment.get("name") or "attachment")),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Attachment-Content-Type": _header_safe(str(attachment.get("content_type") or ""))[:127],
        },
    )


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the RFC 5987 UTF-8 one: no header injection, no path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in base)[:150]
    return f"attachment; filename=\"{fallback or 'attachment'}\"; filename*=UTF-8''{quote(base[:150], safe='')}"


def _header_safe(value: str) -> str:
    return "".join(c for c in value if c.isascii() and c.isprintable())


__all__ = ["DOWNLOAD_RESPONSES", "content_disposition", "download"]
