"""Whatever a visitor's socket sends, it gets an answer frame and the socket stays usable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from tests.chat.server import Server, chat_settings

ANSWERS = {"ack", "error", "pong", "identified"}
VALUES = st.none() | st.booleans() | st.integers() | st.text(max_size=40) | st.lists(st.text(max_size=5), max_size=3)
OBJECTS = st.dictionaries(
    st.sampled_from(["type", "text", "client_id", "email", "phone", "name"]) | st.text(max_size=5),
    st.sampled_from(["message", "identify", "ping"]) | VALUES,
    max_size=5,
).map(json.dumps)
GARBAGE = OBJECTS | st.text(max_size=200) | st.binary(max_size=200) | st.just("[" * 5000)


@pytest.fixture(scope="module")
def socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClientConnection]:
    """One visitor's socket on a server whose limits do not get in the way."""
    path: Path = tmp_path_factory.mktemp("garbage")
    quiet = chat_settings(path, chat_messages_per_minute=10_000, chat_burst=10_000)
    with Server(quiet, with_router=False) as srv, connect(srv.ws) as ws:
        assert json.loads(ws.recv())["type"] == "session"
        yield ws


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=GARBAGE)
def test_every_frame_gets_an_answer_and_the_socket_lives_on(socket: ClientConnection, frame: str | bytes) -> None:
    socket.send(frame)
    answer = json.loads(socket.recv(timeout=10))
    assert answer["type"] in ANSWERS
    if answer["type"] == "error":
        assert answer["detail"]
    socket.send(json.dumps({"type": "ping"}))
    assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
