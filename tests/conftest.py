"""Fixtures shared by the whole suite."""

from __future__ import annotations

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
