"""Inbound mail webhooks: Mailgun routes, SendGrid Inbound Parse and Postmark inbound."""

from __future__ import annotations

import json
import time
from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from services.common import AdapterDeps, AdapterDepsDep
from services.email import parse, verify
from services.email.accept import accept_mail
from services.email.mime import Part
from shared.errors import InvalidRequest, PayloadTooLarge
from shared.normalize import conversation_id
from shared.settings import Settings

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
MAX_FILES = 100
MAX_FIELDS = 1000


class Received(BaseModel):
    """The mail is durable and will be routed (a provider's retry of it is routed once)."""

    id: str
    conversation_id: str


AuthHeader = Annotated[str | None, Header(alias="Authorization", include_in_schema=False)]


@router.post("/mailgun", response_model=Received)
@router.post("/mailgun/mime", response_model=Received, operation_id="mailgun_mime")
async def mailgun(request: Request, deps: AdapterDepsDep) -> Received:
    """Mailgun route `forward()` target: fully parsed, or raw MIME when forwarded to `.../mailgun/mime`
    (Mailgun posts `body-mime` to a URL that ends in `mime`).

    Signed with `SWITCHBOARD_MAILGUN_SIGNING_KEY`: a bad signature, a stale timestamp or a replayed token is
    refused with 403. Answers 200 only once the mail is durable, 503 while it cannot be (Mailgun retries).
    """
    key = verify.require(deps.settings.mailgun_signing_key, "Mailgun", "SWITCHBOARD_MAILGUN_SIGNING_KEY")
    fields, files = await _form(request, deps)
    token = fields.get("token", "")
    verify.mailgun_signature(
        key,
        timestamp=fields.get("timestamp", ""),
        token=token,
        signature=fields.get("signature", ""),
        now=time.time(),
        max_age=deps.settings.webhook_max_age_seconds,
    )
    mail = parse.mailgun_mail(fields, files)
    ttl = deps.settings.webhook_max_age_seconds
    await verify.claim_token(deps.sessions, "mailgun", token, now=verify.utcnow(), ttl=ttl)
    try:
        message = await accept_mail(
            mail,
            deps=deps,
            provider="mailgun",
            recipient=fields.get("recipient"),
            fallback_id=parse.content_id(_fingerprint(fields)),
            envelope_sender=fields.get("sender"),
        )
    except BaseException:
        await verify.release_token(deps.sessions, "mailgun", token)
        raise
    return Received(id=message.id, conversation_id=conversation_id(message.conversation_key))


@router.post("/sendgrid", response_model=Received)
async def sendgrid(request: Request, deps: AdapterDepsDep, authorization: AuthHeader = None) -> Received:
    """SendGrid Inbound Parse target (multipart; "POST the raw, full MIME message" or the parsed fields).

    Put `SWITCHBOARD_SENDGRID_USERNAME` and `_PASSWORD` in the URL SendGrid posts to (basic auth).
    """
    settings = deps.settings
    password = verify.require(settings.sendgrid_password, "SendGrid", "SWITCHBOARD_SENDGRID_PASSWORD")
    verify.basic_auth(authorization, username=settings.sendgrid_username, password=password, provider="SendGrid")
    fields, files = await _form(request, deps)
    envelope = _envelope(fields.get("envelope"))
    mail = parse.sendgrid_mail(fields, files)
    message = await accept_mail(
        mail,
        deps=deps,
        provider="sendgrid",
        recipient=envelope[1] or fields.get("to"),
        fallback_id=parse.content_id(_fingerprint(fields)),
        envelope_sender=envelope[0],
    )
    return Received(id=message.id, conversation_id=conversation_id(message.conversation_key))


@router.post("/postmark", response_model=Received)
async def postmark(request: Request, deps: AdapterDepsDep, authorization: AuthHeader = None) -> Received:
    """Postmark inbound webhook (JSON). Put `SWITCHBOARD_POSTMARK_USERNAME` and `_PASSWORD` in its URL."""
    settings = deps.settings
    password = verify.require(settings.postmark_password, "Postmark", "SWITCHBOARD_POSTMARK_PASSWORD")
    verify.basic_auth(authorization, username=settings.postmark_username, password=password, provider="Postmark")
    body = await _body(request, deps)
    try:
        payload = json.loads(body)
    except ValueError:
        raise InvalidRequest("the Postmark payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidRequest("the Postmark payload is not a JSON object")
    mail = parse.postmark_mail(payload)
    recipient = payload.get("OriginalRecipient") or payload.get("To")
    postmark_id = payload.get("MessageID")
    fallback = f"postmark:{postmark_id}"[:255] if isinstance(postmark_id, str) and postmark_id else None
    message = await accept_mail(
        mail,
        deps=deps,
        provider="postmark",
        recipient=recipient if isinstance(recipient, str) else None,
        fallback_id=fallback or parse.content_id(body),
    )
    return Received(id=message.id, conversation_id=conversation_id(message.conversation_key))


def posted_limit(settings: Settings) -> int:
    """A mail's size as its provider posts it: the message, base64 attachments (4/3), and form overhead."""
    return settings.mail_max_bytes * 4 // 3 + 64 * 1024


def _limit(deps: AdapterDeps) -> int:
    return posted_limit(deps.settings)


async def _body(request: Request, deps: AdapterDeps) -> bytes:
    limit = _limit(deps)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the payload is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _form(request: Request, deps: AdapterDeps) -> tuple[dict[str, str], list[Part]]:
    """The posted fields (first value of each) and files, within the mail size limit."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > _limit(deps):
        raise PayloadTooLarge(f"the payload is over {_limit(deps)} bytes")
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=_limit(deps))
    fields: dict[str, str] = {}
    files: list[Part] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            content_type = value.content_type or "application/octet-stream"
            files.append(Part(name=value.filename or name, content_type=content_type, data=data))
        else:
            fields.setdefault(name, value)
    await form.close()
    return fields, files


def _envelope(value: str | None) -> tuple[str | None, str | None]:
    """(from, first to) of SendGrid's JSON envelope."""
    try:
        envelope = json.loads(value or "{}")
    except ValueError:
        return None, None
    if not isinstance(envelope, dict):
        return None, None
    sender, to = envelope.get("from"), envelope.get("to")
    first = to[0] if isinstance(to, list) and to and isinstance(to[0], str) else None
    return (sender if isinstance(sender, str) else None), first


def _fingerprint(fields: dict[str, str]) -> bytes:
    """What identifies a posted mail without a Message-ID (its content, not the delivery's signature)."""
    volatile = {"timestamp", "token", "signature"}
    return json.dumps({k: v for k, v in sorted(fields.items()) if k not in volatile}).encode()
