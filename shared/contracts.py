"""The JSON Schemas of what goes on the bus, generated from the models; ``python -m shared.contracts`` writes
them to ``shared/schemas/`` and a test keeps the committed files equal to the models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from shared.events import ROUTED_EVENT, DeadLetter
from shared.schema import InboundMessage

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ID_BASE = "https://switchboard.dev/schemas/"


def _document(
    name: str, title: str, model: type[BaseModel] | TypeAdapter[object], mode: JsonSchemaMode
) -> dict[str, object]:
    schema = (
        model.model_json_schema(by_alias=True, mode=mode)
        if isinstance(model, type)
        else model.json_schema(by_alias=True, mode=mode)
    )
    header: dict[str, object] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{ID_BASE}{name}",
                                 "title": title}  # fmt: skip
    return header | {k: v for k, v in schema.items() if k != "title"}


def schemas() -> dict[str, dict[str, object]]:
    """File name -> JSON Schema, for every record type a topic carries: what producers may send for the inbound
    message (defaults may be left out), what routers emit for events and dead letters (every field present)."""
    routed: TypeAdapter[object] = ROUTED_EVENT  # type: ignore[assignment]  # the events' union
    return {
        "inbound.v1.json": _document(
            "inbound.v1.json", "InboundMessage v1 (switchboard.inbound.v1)", InboundMessage, "validation"
        ),
        "routed.v1.json": _document(
            "routed.v1.json", "Routed event v1 (switchboard.routed.v1)", routed, "serialization"
        ),
        "dlq.v1.json": _document("dlq.v1.json", "Dead letter v1 (switchboard.dlq.v1)", DeadLetter, "serialization"),
    }


def render(schema: dict[str, object]) -> str:
    """A schema as committed: sorted keys, two-space indent, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> int:
    """Write every schema file; prints the files written."""
    SCHEMAS.mkdir(exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMAS / name).write_text(render(schema), encoding="utf-8")
        print(SCHEMAS / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
