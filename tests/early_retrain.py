"""Start the slow retrain as soon as collection ends, so that it runs beside the rest of the suite.

Retraining the intent model keeps one core busy for about 40 s, while much of the suite waits on servers it
has started: run beside it, the retrain costs the suite little. ``tests/model/test_retrain.py`` takes its
result from here, or retrains in place when nothing was started (run alone, or in an xdist worker).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from router.classify.intent import MODEL_FILE

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "classify"
RETRAIN_TESTS = "tests/model/test_retrain.py"
TIMEOUT_S = 900


@dataclass
class Retrain:
    """A retrain running in a child process, writing its model into ``out``."""

    process: subprocess.Popen[bytes]
    out: Path

    @property
    def log(self) -> Path:
        return self.out / "train.log"

    def model(self) -> Path:
        """Wait for the retrain and return the model it wrote; fail the test with its log if it failed."""
        code = self.process.wait(timeout=TIMEOUT_S)
        if code != 0:
            pytest.fail(f"retraining failed with status {code}:\n{self.log.read_text()[-5000:]}")
        return self.out / MODEL_FILE

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.out, ignore_errors=True)


STARTED = pytest.StashKey[Retrain]()


def start(out: Path) -> Retrain:
    """Retrain from the committed data into ``out`` in a child process."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "train.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "router.classify.train", "--data", str(DATA), "--out", str(out)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Retrain(process, out)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the retrain when its tests are selected (not in xdist workers, which share the tests out)."""
    if session.config.option.collectonly or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any(item.nodeid.startswith(RETRAIN_TESTS) for item in session.items):
        session.stash[STARTED] = start(Path(tempfile.mkdtemp(prefix="switchboard-retrain-")))


def pytest_sessionfinish(session: pytest.Session) -> None:
    retrain = session.stash.get(STARTED, None)
    if retrain is not None:
        retrain.discard()
