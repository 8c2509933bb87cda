"""The sandbox's child process: evaluate CEL conditions sent over stdin, answer over stdout.

Run as a script by path (``python sandbox_worker.py``) so that it imports only the CEL library.
Frames are a 4-byte big-endian length and a pickle: in ``(source, variables, function names)``, out
``("bool", value)``, ``("other", type name)`` or ``("raised", error type, message, missing key)``.
"""

from __future__ import annotations

import pickle
import resource
import struct
import sys
from collections.abc import Callable
from typing import BinaryIO

MEMORY_LIMIT_BYTES = 1 << 30
"""Address space of the worker: an expression that builds more gets MemoryError or kills only this process."""
_CACHE_SIZE = 512


def _read_exact(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _answer(stream: BinaryIO, value: tuple[str | None, ...] | tuple[str, bool]) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


def _failure(exc: Exception) -> tuple[str, str, str, str | None]:
    """What the parent needs to describe an evaluation error (``router.rules.sandbox.describe_failure``)."""
    if isinstance(exc, KeyError):
        return "raised", "KeyError", "", repr(exc.args[0]) if exc.args else None
    return "raised", type(exc).__name__, str(exc), None


def main() -> None:
    """Serve evaluations until stdin closes."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    import cel
    from cel import stdlib

    library: dict[str, Callable[..., object]] = {
        name: function for extension in stdlib.EXTENSIONS.values() for name, function in extension.items()
    }
    programs: dict[str, object] = {}
    source_in, answer_out = sys.stdin.buffer, sys.stdout.buffer
    _answer(answer_out, ("ready",))
    while True:
        header = _read_exact(source_in, 4)
        body = _read_exact(source_in, struct.unpack(">I", header)[0]) if header else None
        if body is None:
            return
        source, variables, functions = pickle.loads(body)  # noqa: S301 - our own parent process wrote it
        try:
            program = programs.get(source)
            if program is None:
                if len(programs) >= _CACHE_SIZE:
                    programs.clear()
                program = programs[source] = cel.compile(source)
            context = cel.Context(variables, {name: library[name] for name in functions if name in library})
            result = program.execute(context)  # type: ignore[attr-defined]
        except Exception as exc:
            _answer(answer_out, _failure(exc))
            continue
        _answer(answer_out, ("bool", result) if isinstance(result, bool) else ("other", type(result).__name__))


if __name__ == "__main__":
    main()
