"""The one exception tree of Switchboard; the gateway maps it to problem+json in one place."""

from __future__ import annotations


class SwitchboardError(Exception):
    """Base of every domain error; ``code`` is a stable machine-readable name."""

    code = "error"

    def __init__(self, detail: str, *, errors: list[dict[str, object]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers: dict[str, str] = {}
        """Response headers the refusal carries (``Retry-After``, or CORS for a page allowed to read it)."""


class NotFound(SwitchboardError):
    """The thing asked for does not exist (or the caller may not know that it does)."""

    code = "not-found"


class Conflict(SwitchboardError):
    """The request conflicts with the current state (e.g. accepting a completed assignment)."""

    code = "conflict"


class InvalidRequest(SwitchboardError):
    """The request is well-formed but refers to something invalid (unknown queue, agent...)."""

    code = "invalid-request"


class IdempotencyKeyReused(InvalidRequest):
    """An Idempotency-Key (or provider external_id) already named a request with a different body."""

    code = "idempotency-key-reused"


class Unauthorized(SwitchboardError):
    """No key, or a key that is not valid."""

    code = "unauthorized"


class Forbidden(SwitchboardError):
    """A valid key whose role may not do this."""

    code = "forbidden"


class BusUnavailable(SwitchboardError):
    """The bus could not make a message durable; the caller should retry later."""

    code = "bus-unavailable"


class RateLimited(SwitchboardError):
    """The caller sent more than its allowance; ``retry_after`` says in how many seconds to try again."""

    code = "rate-limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)


class SignatureInvalid(Forbidden):
    """A provider webhook whose signature is missing, wrong or stale: not from the provider."""

    code = "signature-invalid"


class AdapterNotConfigured(SwitchboardError):
    """A channel adapter whose secret is unset: it refuses all traffic rather than accept it unsigned.

    Answered as unavailable (503 with ``Retry-After``), not forbidden: providers retry a 5xx for hours or days
    (Mailgun, SendGrid, Postmark, Vonage) and give up on a 403, so what customers wrote while the secret was
    missing still arrives once an operator sets it.
    """

    code = "adapter-not-configured"
    retry_after = 300

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = str(self.retry_after)


class PayloadTooLarge(SwitchboardError):
    """A payload over a configured size limit."""

    code = "payload-too-large"
