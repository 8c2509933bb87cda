"""Retraining on the committed data reproduces the committed intent model, to within what a CPU changes.

Floating-point results depend on the CPU and the BLAS build, so the retrained model is not compared byte
for byte: its vocabulary and labels must be identical, its weights close, and its predictions on the
held-back split the same for all but a handful of borderline messages.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from router.classify.intent import MODEL_FILE, load_intent_model, model_data_digest
from router.classify.train import is_held_back, load_records, main, model_text
from tests import early_retrain

# One retrain for the module: its tests on one xdist worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("retrain")]

DATA = Path(__file__).resolve().parents[1] / "data" / "classify"
# Weights are stored as float16 (about 3 significant digits); a solver that stops a few iterations
# earlier or later on another CPU moves a weight by far less than this.
WEIGHT_TOLERANCE = 0.05
# Held-back messages whose top intent may flip between machines: only near-ties can.
MAX_PREDICTION_CHANGES = 0.005


@pytest.fixture(scope="module")
def retrained(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model retrained from the committed data: by the child process started when collection ended
    (``tests/early_retrain.py``), or here when none was."""
    started = request.session.stash.get(early_retrain.STARTED, None)
    if started is not None:
        return started.model()
    out = tmp_path_factory.mktemp("model")
    main(["--data", str(DATA), "--out", str(out)])
    return out / MODEL_FILE


def _arrays(path: Path | None) -> dict[str, np.ndarray]:
    source = path if path is not None else resources.files("router.classify.model").joinpath(MODEL_FILE)
    with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def test_retrained_model_has_the_committed_vocabulary_labels_and_data(retrained: Path) -> None:
    new, committed = _arrays(retrained), _arrays(None)
    assert new["vocabulary"].tolist() == committed["vocabulary"].tolist()
    assert new["labels"].tolist() == committed["labels"].tolist()
    assert model_data_digest(retrained) == model_data_digest()


def test_retrained_weights_are_within_tolerance_of_the_committed_ones(retrained: Path) -> None:
    new, committed = _arrays(retrained), _arrays(None)
    for name in ("weights", "bias"):
        difference = np.abs(new[name].astype(np.float32) - committed[name].astype(np.float32))
        assert float(difference.max()) <= WEIGHT_TOLERANCE, name


def test_retrained_model_predicts_like_the_committed_one(retrained: Path) -> None:
    new, committed = load_intent_model(retrained), load_intent_model()
    held = [r for r in load_records(DATA) if is_held_back(r)]
    changed = 0
    for record in held:
        a = new.predict(model_text(record), record["language"])
        b = committed.predict(model_text(record), record["language"])
        changed += max(a, key=a.__getitem__) != max(b, key=b.__getitem__)
    assert changed <= MAX_PREDICTION_CHANGES * len(held), f"{changed} of {len(held)} predictions changed"
