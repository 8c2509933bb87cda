"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# real Kafka and PostgreSQL, started only when a selected test needs them; the slow retrain, started early
pytest_plugins = ["tests.harness", "tests.early_retrain"]

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The real-world input beside the checkout (never copied into the repository)."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In pytest-xdist workers, the slow tests first: the scheduler hands tests out in collection order, so
    the long ones (the servers' crashes, the fuzzing, the retrain) start at once on every worker while the
    many short ones fill the gaps, instead of leaving one worker alone with a long tail at the end. Every
    worker sorts the same way (xdist requires one order)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
