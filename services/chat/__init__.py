"""Web chat: a visitor's WebSocket (or its REST fallback) from the embeddable widget to the bus."""

from services.chat.app import chat_router

__all__ = ["chat_router"]
