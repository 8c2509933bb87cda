"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.e2e.server import PORT_RECORD

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


_OWN_PORTS = pytest.StashKey[str]()
"""The record this process made (and removes when it ends)."""


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process, before any xdist worker starts (workers inherit the environment): the run's
    record of the ports ``tests.e2e.server.free_port`` gave out, one directory for the whole run."""
    if PORT_RECORD not in os.environ:
        os.environ[PORT_RECORD] = tempfile.mkdtemp(prefix="switchboard-test-ports-")
        config.stash[_OWN_PORTS] = os.environ[PORT_RECORD]


def pytest_unconfigure(config: pytest.Config) -> None:
    """The process that made the record removes it."""
    directory = config.stash.get(_OWN_PORTS, None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)
        os.environ.pop(PORT_RECORD, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In pytest-xdist workers, the slow tests first: the scheduler hands tests out in collection order, so
    the long ones (the servers' crashes, the fuzzing, the retrain) start at once on every worker while the
    many short ones fill the gaps, instead of leaving one worker alone with a long tail at the end. Every
    worker sorts the same way (xdist requires one order)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
