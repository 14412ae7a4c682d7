"""Precision and recall of the mapped metric keys on a corpus of bulletins with hand-written expectations.

    uv run python tests/bulletins/score_corpus.py [DIR ...] [-v]

DIR holds `docs/` (the bulletins) and `expected/<doc stem>.yaml` (default: tests/bulletins/realistic, then the
held-out sets holdout, holdout2, holdout3, each written before the reader was run on it). The
expected files of tests/bulletins/expected (fixture format, `figures: {key: {value: …}}`) are read too when DIR is
tests/bulletins (docs in `fixtures/`).

Expected file:
    figures:            key → value in the key's canonical unit, or a list of acceptable values (the same figure
                        stated at two precisions, e.g. [215.386, 215.39])
    previous:           optional list of {key, year, value}: values of an earlier year stated in the bulletin

Scoring, per document and key, over the figures of kind level/growth that carry a metric key (what the warehouse
takes as actuals): a key is a true positive when every value mapped to it is an expected value of that key; any
other mapped key is a false positive (a wrong value counts as a false positive and a miss). Previous-year figures
(kind `previous`, keyed by key and year) are scored the same way, separately.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from ingest.bulletins import ExtractionResult, extract_file

HERE = Path(__file__).parent
DEFAULT_DIRS = [HERE / name for name in ("realistic", "holdout", "holdout2", "holdout3")]
ACTUAL_KINDS = ("level", "growth")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    document_errors: int = 0  # region or year of a document read wrongly
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.document_errors += other.document_errors
        self.notes += other.notes

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _values(spec: object) -> list[float]:
    if isinstance(spec, dict):  # fixture format {value: …, unit: …}
        spec = spec["value"]
    return [float(v) for v in spec] if isinstance(spec, list) else [float(spec)]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _compare(got: dict[object, list[float]], want: dict[object, list[float]], doc: str) -> Score:
    score = Score()
    for key, values in got.items():
        ok = key in want and all(any(_same(v, w) for w in want[key]) for v in values)
        if ok:
            score.tp += 1
        else:
            score.fp += 1
            expected = want.get(key)
            score.notes.append(f"{doc}: FP {key} = {values}" + (f" (expected {expected})" if expected else ""))
    for key, values in want.items():
        if key not in got or any(not any(_same(v, w) for w in values) for v in got[key]):
            score.fn += 1
            if key not in got:
                score.notes.append(f"{doc}: FN {key} (expected {values})")
    return score


def score_document(result: ExtractionResult, expected: dict) -> tuple[Score, Score]:
    """(actuals score, previous-year score) of one document."""
    doc = result.document_id
    got: dict[object, list[float]] = {}
    got_prev: dict[object, list[float]] = {}
    for f in result.figures:
        if not f.metric_key or f.value is None:
            continue
        if f.kind in ACTUAL_KINDS:
            values = got.setdefault(f.metric_key, [])
        elif f.kind == "previous":
            values = got_prev.setdefault((f.metric_key, f.year), [])
        else:
            continue
        if not any(_same(f.value, v) for v in values):
            values.append(f.value)
    want = {key: _values(spec) for key, spec in (expected.get("figures") or {}).items()}
    want_prev = {(p["key"], p["year"]): _values(p["value"]) for p in expected.get("previous") or []}
    actual = _compare(got, want, doc)
    if expected.get("region_code") and result.region_code != expected["region_code"]:
        actual.document_errors += 1
        actual.notes.append(f"{doc}: region {result.region_code} != {expected['region_code']}")
    if expected.get("year") and result.year != expected["year"]:
        actual.document_errors += 1
        actual.notes.append(f"{doc}: year {result.year} != {expected['year']}")
    if "previous" not in expected:  # the file says nothing about previous-year values: do not score them
        return actual, Score()
    return actual, _compare(got_prev, want_prev, doc)


def corpus_pairs(directory: Path) -> list[tuple[Path, Path]]:
    docs = directory / "docs" if (directory / "docs").is_dir() else directory / "fixtures"
    pairs = []
    for expected in sorted((directory / "expected").glob("*.yaml")):
        matches = [p for p in docs.iterdir() if p.stem == expected.stem]
        if len(matches) != 1:
            raise SystemExit(f"{expected}: expected one document named {expected.stem}.*, found {matches}")
        pairs.append((matches[0], expected))
    return pairs


def score_corpus(directory: Path) -> tuple[Score, Score, int]:
    actual, previous = Score(), Score()
    pairs = corpus_pairs(directory)
    for doc, expected_file in pairs:
        expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
        a, p = score_document(extract_file(doc), expected)
        actual.add(a)
        previous.add(p)
    return actual, previous, len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every false positive and miss")
    args = parser.parse_args(argv)
    for directory in args.dirs:
        actual, previous, n = score_corpus(directory)
        print(f"{directory} ({n} documents)")
        print(
            f"  mapped keys:   precision {actual.precision:.4f} ({actual.tp}/{actual.tp + actual.fp})"
            f"  recall {actual.recall:.4f} ({actual.tp}/{actual.tp + actual.fn})"
            + (f"  documents with a wrong region/year: {actual.document_errors}" if actual.document_errors else "")
        )
        if previous.tp + previous.fp + previous.fn:
            print(
                f"  previous year: precision {previous.precision:.4f} ({previous.tp}/{previous.tp + previous.fp})"
                f"  recall {previous.recall:.4f} ({previous.tp}/{previous.tp + previous.fn})"
            )
        if args.verbose:
            for note in actual.notes + previous.notes:
                print("   ", note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
