"""Fixtures for the classifier tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # run from any directory without installing the package
    sys.path.insert(0, str(ROOT))

from router.classify import DefaultClassifier, load_classifier  # noqa: E402


@pytest.fixture(scope="session")
def classifier() -> DefaultClassifier:
    """The default classifier, loaded once per test session."""
    return load_classifier()
