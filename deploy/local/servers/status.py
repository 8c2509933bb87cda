"""What ``status`` reports about a server, and its exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

STOPPED_EXIT = 3
NOT_ANSWERING_EXIT = 1


@dataclass(frozen=True)
class ServerStatus:
    """Whether a server's process runs and answers, and where to find it."""

    running: bool
    answering: bool
    details: dict[str, str | int | None] = field(default_factory=dict)

    def line(self, name: str) -> str:
        """One line for the terminal: ``kafka: running answering=True pid=... log=...``."""
        state = "running" if self.running else "stopped"
        extra = " ".join(f"{k}={v}" for k, v in {"answering": self.answering, **self.details}.items() if v is not None)
        return f"{name}: {state} {extra}".rstrip()

    @property
    def exit_code(self) -> int:
        """0 running and answering, 1 running but not answering, 3 stopped."""
        if not self.running:
            return STOPPED_EXIT
        return 0 if self.answering else NOT_ANSWERING_EXIT
