"""The conversation page cursor: opaque, and only what the API returned is accepted."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.conversation.view import decode_cursor, encode_cursor
from shared.errors import InvalidRequest

instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@given(instants, st.uuids().map(str))
def test_a_cursor_names_the_position_it_was_made_from(at: datetime, item_id: str) -> None:
    assert decode_cursor(encode_cursor((at, item_id))) == (at, item_id)


@given(st.text(max_size=100))
def test_anything_else_is_refused_as_a_bad_request(text: str) -> None:
    try:
        at, item_id = decode_cursor(text)
    except InvalidRequest:
        return
    assert at.tzinfo is not None
    assert isinstance(item_id, str)


def test_a_cursor_without_a_time_zone_is_refused() -> None:
    naive = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00", "x"]).encode()).decode()
    with pytest.raises(InvalidRequest):
        decode_cursor(naive)
