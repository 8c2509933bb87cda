"""Just enough of the Kafka wire protocol to ask a broker who it is: one Metadata v4 request.

Standard library only, so that ``status`` and the start-up wait need no Kafka client installed.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

METADATA_API_KEY = 3
METADATA_VERSION = 4
CORRELATION_ID = 7
CLIENT_ID = b"switchboard-servers"


@dataclass(frozen=True)
class Broker:
    """One broker as the cluster metadata lists it."""

    node_id: int
    host: str | None
    port: int


@dataclass(frozen=True)
class Metadata:
    """The cluster as one broker describes it."""

    cluster_id: str | None
    controller_id: int
    brokers: tuple[Broker, ...]


def metadata_request() -> bytes:
    """A size-prefixed Metadata v4 request for all topics, without auto-creation."""
    header = struct.pack(">hhih", METADATA_API_KEY, METADATA_VERSION, CORRELATION_ID, len(CLIENT_ID)) + CLIENT_ID
    body = struct.pack(">ib", -1, 0)
    message = header + body
    return struct.pack(">i", len(message)) + message


class _Reader:
    """Big-endian fields read one after another from a response body."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def int16(self) -> int:
        return self._unpack(">h")

    def int32(self) -> int:
        return self._unpack(">i")

    def string(self) -> str | None:
        n = self.int16()
        if n < 0:
            return None
        text = self._data[self._pos : self._pos + n].decode()
        self._pos += n
        return text

    def _unpack(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return int(value)


def parse_metadata_response(data: bytes) -> Metadata:
    """Decode a Metadata v4 response body (without its size prefix)."""
    reader = _Reader(data)
    if reader.int32() != CORRELATION_ID:
        raise ConnectionError("unexpected correlation id")
    reader.int32()  # throttle time
    brokers = []
    for _ in range(reader.int32()):
        node_id, host, port = reader.int32(), reader.string(), reader.int32()
        reader.string()  # rack
        brokers.append(Broker(node_id, host, port))
    cluster_id = reader.string()
    return Metadata(cluster_id=cluster_id, controller_id=reader.int32(), brokers=tuple(brokers))


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return buf


def kafka_metadata(host: str, port: int, timeout: float = 2.0) -> Metadata:
    """Ask the broker at host:port for the cluster metadata."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(metadata_request())
        (size,) = struct.unpack(">i", _read_exactly(sock, 4))
        return parse_metadata_response(_read_exactly(sock, size))
