"""Message receipts for a bus outside the database (Kafka): group-committed, one transaction per batch."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db.inserts import insert_ignoring_duplicates
from shared.db.models import MessageReceipt, utcnow
from shared.errors import BusUnavailable

log = logging.getLogger(__name__)

_Pending = tuple[str, str, "asyncio.Future[None]"]


class ReceiptLog:
    """Writes who posted which message. Callers that arrive while a batch is being written share the next
    one, so under load a receipt costs a fraction of a commit. A retried post keeps its first receipt."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, batch_max: int = 512) -> None:
        self._sessions = sessions
        self._batch_max = batch_max
        self._pending: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, message_id: str, key_id: str) -> None:
        """Return once the receipt is committed; raise ``BusUnavailable`` when it cannot be."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((message_id, key_id, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="receipt-writer")
        await done

    async def _write_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self._batch_max], self._pending[self._batch_max :]
            now = utcnow()
            try:
                async with self._sessions() as session:
                    dialect = session.get_bind().dialect.name
                    rows = [{"message_id": m, "key_id": k, "accepted_at": now} for m, k, _ in batch]
                    await session.execute(insert_ignoring_duplicates(MessageReceipt, dialect), rows)
                    await session.commit()
            except Exception as exc:  # the callers get the error (503); later batches try again
                log.exception("storing message receipts failed", extra={"receipts": len(batch)})
                for *_, done in batch:
                    if not done.done():
                        done.set_exception(BusUnavailable(f"could not store the message: {type(exc).__name__}"))
                continue
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)


__all__ = ["ReceiptLog"]
