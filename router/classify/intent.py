"""Intent scoring: a linear model over character n-grams, inference with numpy only."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from router.classify.features import FeatureIndexer
from router.classify.labels import INTENTS

MODEL_PACKAGE = "router.classify.model"
MODEL_FILE = "intent.npz"


class IntentModelError(Exception):
    """The packaged intent model is missing or inconsistent."""


class LinearIntentModel:
    """Multinomial logistic regression over a vocabulary of character n-grams."""

    __slots__ = ("_bias", "_indexer", "_labels", "_temperature", "_weights")

    def __init__(
        self,
        vocabulary: list[str],
        weights: npt.NDArray[np.float32],
        bias: npt.NDArray[np.float32],
        labels: tuple[str, ...],
        temperature: float = 1.0,
    ) -> None:
        if weights.shape != (len(vocabulary), len(labels)) or bias.shape != (len(labels),):
            raise IntentModelError("weight shapes do not match vocabulary and labels")
        if set(labels) != set(INTENTS):
            raise IntentModelError("model labels differ from INTENTS")
        if not temperature > 0:
            raise IntentModelError("temperature must be positive")
        self._indexer = FeatureIndexer({gram: i for i, gram in enumerate(vocabulary)})
        self._weights = weights
        self._bias = bias
        self._labels = labels
        self._temperature = temperature

    @property
    def temperature(self) -> float:
        """The calibration temperature the logits are divided by (fitted on the held-back split)."""
        return self._temperature

    def logits(self, text: str) -> list[float]:
        """Uncalibrated scores per label, in label order."""
        idx = self._indexer.indices(text)
        raw = self._bias
        if idx:
            raw = raw + self._weights.take(idx, axis=0).sum(axis=0) / math.sqrt(len(idx))
        scores: list[float] = raw.tolist()
        return scores

    def predict(self, text: str, language: str) -> dict[str, float]:
        """Return a calibrated probability per intent (the language is not needed by this model)."""
        logits = self.logits(text)
        top = max(logits)
        exps = [math.exp((x - top) / self._temperature) for x in logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(self._labels, exps, strict=True)}


def save_model(
    path: Path,
    vocabulary: list[str],
    weights: npt.NDArray[np.float32],
    bias: npt.NDArray[np.float32],
    data_sha256: str = "",
    temperature: float = 1.0,
) -> None:
    """Write the model as a compressed npz (no pickles), with the digest of its training data."""
    np.savez_compressed(
        path,
        vocabulary=np.array(vocabulary, dtype=str),
        weights=weights.astype(np.float16),
        bias=bias.astype(np.float32),
        labels=np.array(INTENTS, dtype=str),
        data_sha256=np.array(data_sha256, dtype=str),
        temperature=np.array(temperature, dtype=np.float32),
    )


def model_data_digest(path: Path | None = None) -> str:
    """The training-data digest recorded in the packaged model (or the one at `path`); "" if none."""
    source = path if path is not None else resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
    with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        return str(data["data_sha256"]) if "data_sha256" in data.files else ""


def load_intent_model(path: Path | None = None) -> LinearIntentModel:
    """Load the packaged intent model (or one at `path`)."""
    source = path if path is not None else resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
    with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        vocabulary = [str(g) for g in data["vocabulary"].tolist()]
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
        labels = tuple(str(x) for x in data["labels"].tolist())
        temperature = float(data["temperature"]) if "temperature" in data.files else 1.0
    return LinearIntentModel(vocabulary, weights, bias, labels, temperature)
