"""The SMS adapter: Twilio and Vonage inbound webhooks, concatenated SMS and MMS media."""

from services.sms.app import sms_router

__all__ = ["sms_router"]
