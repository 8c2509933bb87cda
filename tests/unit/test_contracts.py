"""The bus contracts: versioned frozen models with a ``type``, and committed JSON Schemas equal to them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from shared.contracts import SCHEMAS, render, schemas
from shared.events import (
    ROUTED_EVENT,
    AssignmentRequeued,
    DeadLetter,
    MessageRouted,
    QueueOverflowed,
    ShiftEnded,
    SlaChanged,
)

EVENTS: list[type[BaseModel]] = [MessageRouted, SlaChanged, AssignmentRequeued, ShiftEnded, QueueOverflowed, DeadLetter]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(schemas()))
def test_the_committed_schema_is_the_one_the_models_give(name: str) -> None:
    committed = (SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == render(schemas()[name]), f"run `python -m shared.contracts` and commit {name}"


@pytest.mark.parametrize("model", EVENTS)
def test_every_record_type_is_frozen_strict_versioned_and_typed(model: type[BaseModel]) -> None:
    assert model.model_config.get("frozen") is True
    assert model.model_config.get("extra") == "forbid"
    assert {"schema_version", "type"} <= set(model.model_fields)


def test_an_event_reads_back_as_the_same_model_by_its_type() -> None:
    overflowed = QueueOverflowed(from_queue="returns", to_queue="general", count=2, at=NOW)
    wire = overflowed.to_bytes()
    assert b'"from":"returns"' in wire
    assert ROUTED_EVENT.validate_json(wire) == overflowed


def test_an_event_without_a_type_or_with_an_unknown_field_is_refused() -> None:
    routed = MessageRouted(message_id="m", conversation_id="c", assignment_id="a", queue="q", agent_id=None,
                           outcome="queued", ruleset_version=None).model_dump()  # fmt: skip
    with pytest.raises(ValidationError):
        ROUTED_EVENT.validate_python({k: v for k, v in routed.items() if k != "type"})
    with pytest.raises(ValidationError):
        ROUTED_EVENT.validate_python(routed | {"surprise": 1})


def test_events_are_keyed_by_their_conversation_and_dead_letters_by_their_record() -> None:
    requeued = AssignmentRequeued(assignment_id="a", conversation_id="c", reason="agent away", at=NOW)
    assert requeued.bus_key == "c"
    assert ShiftEnded(agent_id="ann", requeued=[], at=NOW).bus_key == ""
    letter = DeadLetter(error="e", topic="t", partition=0, offset=1, key="k", value="v", at=NOW)
    assert letter.bus_key == "k"
