"""The SMS webhooks (Twilio, Vonage): verified, parsed, published; answered only once the message is durable."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import mimetypes
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes

import httpx
from fastapi import APIRouter, Request, Response
from starlette.types import Scope

from services.common import AdapterDeps, AdapterDepsDep, PlainRoute, deps_of
from services.sms.media import MediaFetcher, MediaRefused
from services.sms.parse import Sms, parse_twilio, parse_vonage, to_message
from services.sms.parts import add_part, forget
from services.sms.verify import check_twilio, check_vonage
from shared.errors import AdapterNotConfigured, InvalidRequest
from shared.ids import new_id
from shared.ingest import publish_inbound
from shared.schema import Attachment
from shared.settings import Settings

log = logging.getLogger(__name__)

TWILIO_PATH = "/v1/webhooks/twilio/sms"
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
MAX_FIELDS = 100
_TWILIO_HEADERS = frozenset({b"content-type", b"x-twilio-signature", b"x-twilio-webhooks-signature-settings"})
_TWIML: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/xml": {"example": TWIML_EMPTY}}, "description": "Accepted and durable"}
}


def sms_router(media: MediaFetcher | None = None) -> APIRouter:
    """The SMS webhook routes; ``media`` fetches MMS media when ``SWITCHBOARD_MMS_FETCH`` is on."""
    router = APIRouter(tags=["webhooks"])
    fetcher = media or MediaFetcher()

    async def twilio_sms(request: Request) -> Response:
        """Twilio's messaging webhook: point a number's "A message comes in" here (HTTP POST). The request must
        carry a valid `X-Twilio-Signature` for `SWITCHBOARD_PUBLIC_URL` + this path, signed with
        `SWITCHBOARD_TWILIO_AUTH_TOKEN`. Answers an empty TwiML `<Response/>` once the message is durable;
        a retried webhook (same MessageSid) is answered again and routed once."""
        # The hottest route, a PlainRoute: the resources are read straight off the app (as ``adapter_deps``
        # does) and the headers straight off the scope.
        deps = deps_of(request)
        token = deps.settings.twilio_auth_token
        if token is None:
            raise AdapterNotConfigured("the Twilio webhook is off: set SWITCHBOARD_TWILIO_AUTH_TOKEN")
        headers = _headers(request.scope, _TWILIO_HEADERS)
        form = _form_fields(await request.body(), headers.get(b"content-type", ""))
        check_twilio(
            token.get_secret_value(),
            _public_url(deps.settings, request.scope),
            form,
            headers.get(b"x-twilio-signature"),
            headers.get(b"x-twilio-webhooks-signature-settings"),
        )
        sms = parse_twilio(dict(form))
        attachments: tuple[Attachment, ...] = ()
        if deps.settings.mms_fetch and sms.media:
            attachments = await _fetch_media(sms, deps, fetcher, token.get_secret_value())
            sms = dataclasses.replace(sms, metadata=sms.metadata | {"media_stored": str(len(attachments))})
        message = to_message(sms, message_id=new_id(), received_at=datetime.now(UTC), attachments=attachments)
        await publish_inbound(message, bus=deps.bus, settings=deps.settings)
        return Response(TWIML_EMPTY, media_type="application/xml")

    router.add_api_route(TWILIO_PATH, twilio_sms, methods=["POST"], response_class=Response, responses=_TWIML,
                         route_class_override=PlainRoute)  # fmt: skip

    @router.post("/v1/webhooks/vonage/sms", status_code=204, response_class=Response)
    async def vonage_sms(request: Request, deps: AdapterDepsDep) -> Response:
        """Vonage's SMS API inbound webhook (set the number's inbound webhook to this URL, method POST or
        POST-JSON). With `SWITCHBOARD_VONAGE_SIGNATURE_SECRET` set, only signed requests with a fresh timestamp
        are accepted. The parts of a concatenated SMS are kept until the last arrives, then routed as one
        message. Answers 204 once the message (or the part) is durable."""
        await _accept_vonage(await _vonage_params(request), deps)
        return Response(status_code=204)

    @router.get("/v1/webhooks/vonage/sms", status_code=204, response_class=Response)
    async def vonage_sms_get(request: Request, deps: AdapterDepsDep) -> Response:
        """The same webhook for Vonage's GET method (the fields in the query string)."""
        if len(request.query_params) > MAX_FIELDS:
            raise InvalidRequest(f"at most {MAX_FIELDS} parameters")
        await _accept_vonage(dict(request.query_params.items()), deps)
        return Response(status_code=204)

    return router


def _form_fields(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """The fields of a form-encoded body, in order; a clear 4xx for anything else.

    What ``parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")`` returns, in
    half its time (the Twilio webhook is the hottest route): a value is decoded only when it has escapes.
    """
    if content_type.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
        raise InvalidRequest("the body must be application/x-www-form-urlencoded")
    try:
        text = body.decode("utf-8")
        if text.count("&") >= MAX_FIELDS:
            raise ValueError("too many fields")
        fields = []
        for pair in text.split("&"):
            if pair:
                name, _, value = pair.partition("=")
                fields.append((_unquote_plus(name), _unquote_plus(value)))
        return fields
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest(f"the body is not a UTF-8 form of at most {MAX_FIELDS} fields") from None


def _unquote_plus(text: str) -> str:
    """``+`` as space, then the ``%XX`` escapes as UTF-8 (strict: a broken sequence raises)."""
    if "+" in text:
        text = text.replace("+", " ")
    return unquote_to_bytes(text).decode("utf-8") if "%" in text else text


async def _accept_vonage(params: dict[str, str], deps: AdapterDeps) -> None:
    """Verify and publish one Vonage SMS; a part of a concatenated one is stored until the whole can be."""
    _check_vonage(deps, params)
    sms = parse_vonage(params)
    now = datetime.now(UTC)
    if sms.concat is None:
        message = to_message(sms, message_id=new_id(), received_at=now)
        await publish_inbound(message, bus=deps.bus, settings=deps.settings)
        return
    parts = await add_part(deps.sessions, sms, now)
    if parts is None:
        return
    whole = dataclasses.replace(
        sms,
        external_id=parts[0].external_id,
        text="".join(p.text for p in parts),
        metadata=sms.metadata | {"concat_parts": str(len(parts))},
    )
    message = to_message(whole, message_id=new_id(), received_at=min(p.received_at for p in parts))
    await publish_inbound(message, bus=deps.bus, settings=deps.settings)
    await forget(deps.sessions, parts)


async def _vonage_params(request: Request) -> dict[str, str]:
    """Vonage's fields from a JSON object or a form, as strings."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        return dict(_form_fields(body, content_type))
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("the body is not valid JSON") from None
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise InvalidRequest(f"the body must be a JSON object of at most {MAX_FIELDS} fields")
    return {str(k): _json_scalar(k, v) for k, v in data.items()}


def _json_scalar(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if value is None:
        return ""
    raise InvalidRequest(f"{key} must be a string or a number")


def _check_vonage(deps: AdapterDeps, params: dict[str, str]) -> None:
    secret = deps.settings.vonage_signature_secret
    if secret is not None:
        now = datetime.now(UTC).timestamp()
        check_vonage(secret.get_secret_value(), params, now=now, max_age=deps.settings.webhook_max_age_seconds)
    elif not deps.settings.vonage_allow_unsigned:
        raise AdapterNotConfigured(
            "the Vonage webhook is off: set SWITCHBOARD_VONAGE_SIGNATURE_SECRET"
            " (or SWITCHBOARD_VONAGE_ALLOW_UNSIGNED=true for an account without signed webhooks)"
        )


def _headers(scope: Scope, names: frozenset[bytes]) -> dict[bytes, str]:
    """The first value of each header in ``names`` the request carries (names lower-case, as ASGI gives them)."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in names and name not in found:
            found[name] = value.decode("latin-1")
    return found


def _public_url(settings: Settings, scope: Scope) -> str:
    """The URL the provider called, as it knows it: the public base URL, this path and the query."""
    path: str = scope["path"]
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    return settings.base_url + path + (f"?{query}" if query else "")


async def _fetch_media(sms: Sms, deps: AdapterDeps, fetcher: MediaFetcher, token: str) -> tuple[Attachment, ...]:
    """Fetch and store what media fit the size and time limits; the rest stay URL references."""
    settings, stored = deps.settings, []
    budget, timeout = settings.message_attachments_max_bytes, settings.mms_fetch_timeout_seconds
    auth = (sms.metadata.get("account_sid", ""), token)
    try:
        async with asyncio.timeout(timeout):
            for i, ref in enumerate(sms.media):
                limit = min(settings.attachment_max_bytes, budget)
                try:
                    got = await fetcher.fetch(ref.url, auth=auth, limit=limit, timeout=timeout)
                except (MediaRefused, httpx.HTTPError) as exc:
                    reason = str(exc) if isinstance(exc, MediaRefused) else type(exc).__name__
                    log.warning("MMS media not fetched", extra={"provider": sms.provider, "reason": reason})
                    continue
                budget -= len(got.data)
                digest = await deps.blobs.put(got.data)
                content_type = got.content_type or ref.content_type
                name = f"mms-{i}{mimetypes.guess_extension(content_type) or ''}"
                stored.append(Attachment(name=name, content_type=content_type, size=len(got.data), sha256=digest,
                                         storage_ref=digest))  # fmt: skip
    except TimeoutError:
        log.warning("MMS media fetch timed out", extra={"provider": sms.provider, "stored": len(stored)})
    return tuple(stored)
