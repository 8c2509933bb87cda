"""Signatures of the SMS providers' webhooks: Twilio's X-Twilio-Signature and Vonage's signed ``sig``."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from twilio.request_validator import RequestValidator, get_signature_algorithm

from shared.errors import SignatureInvalid

_VONAGE_HMACS = {40: ("sha1",), 64: ("sha256",), 128: ("sha512",), 32: ("md5",)}


class _Fields(dict[str, list[str]]):
    """Form fields with every value of a repeated name, as the validator reads a multi-dict (it asks for
    ``getall`` first, then ``getlist``)."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    getlist = getall


def check_twilio(
    token: str, url: str, form: Sequence[tuple[str, str]], signature: str | None, settings_header: str | None
) -> None:
    """Raise ``SignatureInvalid`` unless ``signature`` is Twilio's over ``url`` (as Twilio called it) and
    ``form``; checked by the official ``twilio`` package, for HMAC-SHA1 or the algorithm the
    ``X-Twilio-Webhooks-Signature-Settings`` header names."""
    if not signature:
        raise SignatureInvalid("the X-Twilio-Signature header is missing")
    fields = _Fields()
    for name, value in form:
        fields.setdefault(name, []).append(value)
    validator, algorithm = RequestValidator(token), get_signature_algorithm(settings_header)
    # The URL exactly as configured is the common case: one HMAC; else the validator also tries it with and
    # without the default port, as Twilio's signing is not consistent there.
    if algorithm.upper() in ("HMAC_SHA1", "HMAC_SHA256") and hmac.compare_digest(
        validator.compute_signature(url, fields, algorithm).encode(), signature.encode()
    ):
        return
    if not validator.validate(url, fields, signature, algorithm):
        raise SignatureInvalid("the X-Twilio-Signature does not match this request")


def vonage_signature(secret: str, params: Mapping[str, str], method: str) -> str:
    """Vonage's signature of ``params`` (without ``sig``): the sorted ``&key=value`` pairs (``&`` and ``=`` in
    values replaced by ``_``), hashed with the secret appended (``md5hash``) or HMAC-keyed by it."""
    payload = "".join(
        f"&{key}={params[key].replace('&', '_').replace('=', '_')}" for key in sorted(params) if key != "sig"
    ).encode()
    if method == "md5hash":
        # Vonage's default method; weak, but the provider's: the dashboard offers the HMACs too.
        return hashlib.md5(payload + secret.encode()).hexdigest()  # noqa: S324
    return hmac.new(secret.encode(), payload, method).hexdigest()


def check_vonage(secret: str, params: Mapping[str, str], *, now: float, max_age: int) -> None:
    """Raise ``SignatureInvalid`` unless ``params`` carry Vonage's ``sig`` by one of the dashboard's methods
    (MD5 hash, or MD5/SHA-1/SHA-256/SHA-512 HMAC, told apart by length) and a fresh ``timestamp``."""
    sig = params.get("sig", "").strip().lower()
    methods = _VONAGE_HMACS.get(len(sig), ())
    if len(sig) == 32:
        methods = ("md5hash", *methods)
    if not methods:
        raise SignatureInvalid("the sig parameter is missing or malformed")
    if not any(hmac.compare_digest(vonage_signature(secret, params, m).encode(), sig.encode()) for m in methods):
        raise SignatureInvalid("the sig parameter does not match this request")
    stamp = params.get("timestamp", "")
    if not (stamp.isascii() and stamp.isdigit()) or abs(now - int(stamp)) > max_age:
        raise SignatureInvalid("the signed timestamp is missing or too old")
