"""Retrain the intent model: python -m router.classify.train [--data DIR] [--out DIR] [--cv C ...].

Needs scikit-learn and scipy (dev dependencies); the runtime needs only numpy.
Held-back split: crc32(group or text) % 5 == 0, so it is stable across runs and machines, and
whole groups (one source sentence with all its fills and channel framings) are held back.
`--cv` tunes without looking at the held-back split: grouped 5-fold cross-validation on the
training split only, one line per regularisation value C.
Calibration: one temperature, fitted on the held-back hand-written messages (the ones most like real
traffic), divides the logits; it changes no prediction, only how sure the model says it is, so the
router's triage threshold means what it says.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from router.classify.clean import customer_text
from router.classify.features import FeatureIndexer, intent_text, text_ngrams
from router.classify.intent import MODEL_FILE, LinearIntentModel, save_model
from router.classify.labels import DEFAULT_MIN_INTENT_CONFIDENCE, INTENTS, SUPPORTED_LANGUAGES
from router.classify.language import PyLangidDetector

Record = dict[str, str]
FloatArray = npt.NDArray[np.float32]
SEED = 13
DEFAULT_DATA = Path("tests/data/classify")
DEFAULT_OUT = Path("router/classify/model")
MIN_DOC_FREQ = 2
C = 20.0
# Hand-written messages (messages_written.jsonl) count this many times a generated one (`--written-weight`);
# 1 measured best: weighting them up fits their phrasings more closely without reading unseen ones better.
WRITTEN_WEIGHT = 1.0
CV_FOLDS = 5
MAX_ITER = 2000
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 1) for i in range(36))
TRIAGE_THRESHOLDS = (0.0, 0.3, DEFAULT_MIN_INTENT_CONFIDENCE, 0.6, 0.75)


def is_held_back(record: Record) -> bool:
    """Deterministic held-back split on the record's group (its core sentence) or text."""
    key = record.get("group") or record["text"]
    return zlib.crc32(key.encode("utf-8")) % 5 == 0


def is_first_set(record: Record) -> bool:
    """True for records of messages.jsonl (groups "<lang>/<intent>/<i>"), the set of the first model."""
    return record.get("group", "").rpartition("/")[2].isdigit()


def is_written(record: Record) -> bool:
    """True for the hand-written messages (groups "written.../<intent>/<i>"), false for generated ones."""
    return record.get("group", "").startswith("written")


def cv_fold(record: Record) -> int:
    """Cross-validation fold of a training record, by group like the held-back split."""
    key = "cv:" + (record.get("group") or record["text"])
    return zlib.crc32(key.encode("utf-8")) % CV_FOLDS


def load_records(data_dir: Path) -> list[Record]:
    """Read every *.jsonl file of labelled messages in data_dir."""
    records: list[Record] = []
    for path in sorted(data_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


def data_digest(data_dir: Path) -> str:
    """SHA-256 over the names and bytes of the labelled files, recorded in the model."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.jsonl")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def model_text(record: Record) -> str:
    """The text the intent model sees for a record (cleaned body plus subject)."""
    return intent_text(customer_text(record["text"], record["channel"]), record.get("subject"))


def build_vocabulary(texts: Iterable[str]) -> list[str]:
    """N-grams occurring in at least MIN_DOC_FREQ training texts, sorted."""
    doc_freq: Counter[str] = Counter()
    for text in texts:
        doc_freq.update(set(text_ngrams(text)))
    return sorted(g for g, df in doc_freq.items() if df >= MIN_DOC_FREQ)


def design_matrix(texts: Sequence[str], vocabulary: list[str]) -> object:
    """Sparse matrix of length-normalized n-gram counts, identical to inference."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    indexer = FeatureIndexer({g: i for i, g in enumerate(vocabulary)})
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, text in enumerate(texts):
        idx = indexer.indices(text)
        rows.extend([r] * len(idx))
        cols.extend(idx)
        vals.extend([1.0 / math.sqrt(len(idx))] * len(idx) if idx else [])
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)))


def fit(
    records: list[Record], c: float = C, written_weight: float = WRITTEN_WEIGHT
) -> tuple[list[str], FloatArray, FloatArray]:
    """Train multinomial logistic regression; return vocabulary, weights (V x K), bias (K)."""
    from sklearn.linear_model import LogisticRegression

    texts = [model_text(r) for r in records]
    vocabulary = build_vocabulary(texts)
    labels = [INTENTS.index(r["intent"]) for r in records]
    sample_weight = [written_weight if is_written(r) else 1.0 for r in records]
    clf = LogisticRegression(C=c, max_iter=MAX_ITER, random_state=SEED)
    clf.fit(design_matrix(texts, vocabulary), labels, sample_weight=sample_weight)
    return vocabulary, clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)


def accuracy_table(pairs: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """Group (key, correct) pairs into key -> (correct, total)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, ok in pairs:
        table[key][0] += int(ok)
        table[key][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}


def print_table(title: str, table: dict[str, tuple[int, int]]) -> None:
    """Print accuracy per key and overall."""
    print(f"\n{title}")
    for key, (ok, total) in table.items():
        print(f"  {key:<18} {ok / total:6.1%}  ({ok}/{total})")
    ok_all = sum(v[0] for v in table.values())
    n_all = sum(v[1] for v in table.values())
    print(f"  {'overall':<18} {ok_all / max(n_all, 1):6.1%}  ({ok_all}/{n_all})")


def predictions(model: LinearIntentModel, records: list[Record]) -> list[tuple[Record, str, float]]:
    """(record, predicted intent, confidence) for each record."""
    out = []
    for rec in records:
        scores = model.predict(model_text(rec), rec["language"])
        best = max(scores, key=scores.__getitem__)
        out.append((rec, best, scores[best]))
    return out


def print_triage(predicted: list[tuple[Record, str, float]]) -> None:
    """Share routed by intent and its accuracy at a few thresholds (below one, a message goes to triage)."""
    print(f"\ntriage threshold (default {DEFAULT_MIN_INTENT_CONFIDENCE}): routed by intent, accuracy of those")
    for threshold in TRIAGE_THRESHOLDS:
        kept = [(rec, best) for rec, best, conf in predicted if conf >= threshold]
        right = sum(rec["intent"] == best for rec, best in kept)
        share, accuracy = len(kept) / max(len(predicted), 1), right / max(len(kept), 1)
        print(f"  >= {threshold:<5} {share:6.1%} routed, {accuracy:6.1%} right")


def evaluate(model: LinearIntentModel, held: list[Record]) -> None:
    """Print held-back intent accuracy per language, intent and channel, and language-ID accuracy."""
    detector = PyLangidDetector(SUPPORTED_LANGUAGES)
    predicted = predictions(model, held)
    hits = [(rec, best == rec["intent"]) for rec, best, _ in predicted]
    lang_hits = [
        (r["language"], detector.detect(customer_text(r["text"], r["channel"]))[0] == r["language"]) for r in held
    ]
    written = [(r, ok) for r, ok in hits if is_written(r)]
    for key in ("language", "channel", "intent"):
        table = accuracy_table((r[key], ok) for r, ok in written)
        print_table(f"intent accuracy by {key}, hand-written messages only (held back)", table)
    print_table("intent accuracy by language (held back)", accuracy_table((r["language"], ok) for r, ok in hits))
    print_table("intent accuracy by intent (held back)", accuracy_table((r["intent"], ok) for r, ok in hits))
    print_table("intent accuracy by channel (held back)", accuracy_table((r["channel"], ok) for r, ok in hits))
    print_table(
        "intent accuracy by language, first set only (messages.jsonl, comparable with earlier models)",
        accuracy_table((r["language"], ok) for r, ok in hits if is_first_set(r)),
    )
    print_table(
        "intent accuracy by channel, first set only",
        accuracy_table((r["channel"], ok) for r, ok in hits if is_first_set(r)),
    )
    print_table("language-ID accuracy by language (held back)", accuracy_table(lang_hits))
    print_triage(predicted)


def calibration_set(held: list[Record]) -> list[Record]:
    """The held-back records the temperature is fitted on: the hand-written ones when there are any."""
    return [r for r in held if is_written(r)] or held


def fit_temperature(model: LinearIntentModel, records: list[Record]) -> float:
    """The temperature that makes the model's probabilities on ``records`` most likely (grid search on NLL)."""
    logits = np.array([model.logits(model_text(r)) for r in records], dtype=np.float64)
    truth = np.array([INTENTS.index(r["intent"]) for r in records])
    best, best_nll = 1.0, math.inf
    for temperature in TEMPERATURES:
        scaled = logits / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        nll = float((log_norm - scaled[np.arange(len(truth)), truth]).mean())
        if nll < best_nll:
            best, best_nll = temperature, nll
    return best


def cross_validate(train: list[Record], cs: Sequence[float]) -> None:
    """Grouped k-fold accuracy on the training split for each C (the held-back split is not read)."""
    for c in cs:
        hits: list[tuple[Record, bool]] = []
        for k in range(CV_FOLDS):
            fold_train = [r for r in train if cv_fold(r) != k]
            fold_test = [r for r in train if cv_fold(r) == k]
            vocabulary, weights, bias = fit(fold_train, c)
            model = LinearIntentModel(vocabulary, weights, bias, INTENTS)
            hits.extend((rec, best == rec["intent"]) for rec, best, _ in predictions(model, fold_test))
        table = accuracy_table((r["language"], ok) for r, ok in hits)
        table.update(accuracy_table((r["channel"], ok) for r, ok in hits))
        overall = sum(ok for _, ok in hits) / max(len(hits), 1)
        print(f"C={c:g} cv {overall:.1%} " + " ".join(f"{k}={v[0] / v[1]:.1%}" for k, v in table.items()))


def main(argv: Sequence[str] | None = None) -> None:
    """Train on the non-held-back records, report on the held-back ones, write the model."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cv", type=float, nargs="+", metavar="C", help="cross-validate these C values and stop")
    parser.add_argument("--written-weight", type=float, default=WRITTEN_WEIGHT, help="weight of a hand-written message")
    parser.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    records = load_records(args.data)
    train = [r for r in records if not is_held_back(r)]
    held = [r for r in records if is_held_back(r)]
    print(f"{len(records)} records: {len(train)} train, {len(held)} held back")
    if args.cv:
        cross_validate(train, args.cv)
        return
    vocabulary, weights, bias = fit(train, args.c, args.written_weight)
    stored = weights.astype(np.float16).astype(np.float32)
    temperature = fit_temperature(LinearIntentModel(vocabulary, stored, bias, INTENTS), calibration_set(held))
    args.out.mkdir(parents=True, exist_ok=True)
    save_model(args.out / MODEL_FILE, vocabulary, weights, bias, data_digest(args.data), temperature)
    print(f"wrote {args.out / MODEL_FILE}: {len(vocabulary)} n-grams, temperature {temperature}")
    evaluate(LinearIntentModel(vocabulary, stored, bias, INTENTS, temperature), held)


if __name__ == "__main__":
    main()
