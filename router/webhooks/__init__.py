"""Outbound webhooks: fan the activity log out to subscriptions, then deliver each event, signed and retried."""

from router.webhooks.worker import WebhookWorker

__all__ = ["WebhookWorker"]
