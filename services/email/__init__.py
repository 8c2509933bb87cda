"""The email adapter: SMTP listener, Mailgun / SendGrid / Postmark webhooks, MIME to InboundMessage v1."""

from services.email.app import router
from services.email.smtp import bound_port, smtp_listener

__all__ = ["bound_port", "router", "smtp_listener"]
