"""Precision and recall of the bulletin reader on real bulletins (bench/real_bulletins).

    uv run python bench/bench_extract_real.py [--label after] [--code DIR] [--no-write]

Reads every bench/real_bulletins/texts/*.txt WITHOUT telling the reader the region or the year (it must find
them), compares the mapped figures of the statistical year with the hand-read ones (bench/real_bulletins/
figures.csv) and prints, per metric and per kind of text, precision and recall, and per document whether the year
came out right, wrong or absent. The scores are kept in bench/out/real_score_<label>.json; the section
"Real bulletins" of bench/RESULTS.md shows every label kept (e.g. before and after a change of the reader); the
other sections of RESULTS.md are left as they are.

`--code DIR` measures another checkout of the reader (e.g. `git worktree add /tmp/before <commit>`), so that the
figures before a change can be measured with the same scorer.

A figure's kind is what its text does that a reader may trip on (romanisation, Traditional characters, a heading
or caption run into it, a scope note, the region's own word in the label, a verb between label and value), found
by looking at the raw clause where the hand-read value is first written (with its unit): a heuristic, and the same
for every run, so that runs compare kind by kind. A missed figure's cause is the document's year or region when
the reader got those wrong or not at all, else its kind.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench" / "real_bulletins"
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Real bulletins: precision and recall of the reader"

KINDS = (
    "year wrong/absent",
    "region wrong/absent",
    "romanisation",
    "Traditional",
    "caption run-in",
    "label fused to previous sentence",
    "scope prefix",
    "region word in label",
    "verb between label and value",
    "other",
)
_TRADITIONAL_HINTS = set("區産產總億萬業長計貨濟發縣歲務國財與農稅資價輸際從")
_ROMANISATION = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_CAPTION = re.compile(r"[图圖表]\s*\d{1,2}")
_HEADING = re.compile(r"[一二三四五六七八九十]{1,3}、|【[^】]{1,8}】|[(（][一二三四五六七八九十]{1,3}[)）]")
_SCOPE = re.compile(r"[(（](?:不含|不包括|未含|剔除|扣除|含)")
_REGION_WORD = re.compile(r"全[市县省州区盟旗]|市[(（]州[)）]|[我本][市县省州区盟旗]|轄區|辖区")
_VERB = re.compile(r"实现|完成|達到|达到|實現|為|为")
_CLAUSE_START = re.compile(r"[,，;；。:：!！]")


@dataclass
class Expected:
    doc_id: str
    region: str
    year: int | None
    key: str
    value: Decimal
    unit: str
    # the same figure written more or less precisely elsewhere in the page (777.54亿元 and 7775365万元)
    also: list[tuple[Decimal, str]] = field(default_factory=list)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None


def load_expected(path: Path) -> dict[str, list[Expected]]:
    out: dict[str, list[Expected]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = _decimal(row.get("value") or "")
            if value is None or not row.get("metric_key"):
                continue
            year = int(row["year"]) if (row.get("year") or "").strip().isdigit() else None
            e = Expected(row["doc_id"], (row.get("region") or "").strip(), year, row["metric_key"], value, row["unit"])
            # the same figure read twice (in the text and in a table) is one figure of the document, also when one
            # copy is rounded: it agrees with the other within half a unit of its last digit
            same = next((o for o in out[e.doc_id] if (o.key, o.region, o.year) == (e.key, e.region, e.year)), None)
            if same is None:
                out[e.doc_id].append(e)
            elif same.unit == e.unit and abs(same.value - e.value) <= _half_step(same.value, e.value):
                same.also.append((e.value, e.unit))
            elif (same.value, same.unit) != (e.value, e.unit):
                out[e.doc_id].append(e)
    return out


def _half_step(a: Decimal, b: Decimal) -> Decimal:
    """Half a unit of the last digit of the coarser of two written values (777.54 → 0.005)."""
    exponent = max(a.as_tuple().exponent, b.as_tuple().exponent)
    return Decimal(5).scaleb(int(exponent) - 1)


def load_manifest(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return {row["doc_id"]: row for row in csv.DictReader(fh)}


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * Decimal("1e-9") + Decimal("1e-9")


def _written_forms(e: Expected) -> list[str]:
    text = format(e.value.normalize(), "f")
    forms = [text, text.lstrip("-")]
    if "." in text:
        forms.append(text.rstrip("0").rstrip("."))
    return [f for f in dict.fromkeys(forms) if f]


def _clause_of(raw: str, e: Expected) -> str:
    """The raw clause where the hand-read value is first written (with its unit when the unit is there)."""
    spots = []
    for form in _written_forms(e):
        for m in re.finditer(rf"(?<![\d.]){re.escape(form)}(?![\d])", raw):
            after = raw[m.end() : m.end() + 4]
            spots.append((0 if e.unit and after.startswith(e.unit[:1]) else 1, m.start()))
    if not spots:
        return ""
    _, pos = min(spots)
    start = pos
    while start > 0 and pos - start < 60 and not _CLAUSE_START.match(raw[start - 1]):
        start -= 1
    # what came just before the clause: a heading or caption run in, or a full stop with no break after it
    return raw[max(0, start - 1) : pos]


def want_year_of(manifest: dict[str, dict[str, str]], doc_id: str) -> int | None:
    year = (manifest.get(doc_id) or {}).get("year", "")
    return int(year) if year.isdigit() else None


def text_kind(e: Expected, raw: str, traditional: bool) -> str:
    """What the text around a hand-read figure does (whatever the reader makes of it)."""
    clause = _clause_of(raw, e)
    if _ROMANISATION.search(clause):
        return "romanisation"
    if traditional:
        return "Traditional"
    if _CAPTION.search(clause):
        return "caption run-in"
    if _HEADING.search(clause) or re.search(r"[%％\d][\u4e00-\u9fff]", clause[:3]):
        return "label fused to previous sentence"
    if _SCOPE.search(clause):
        return "scope prefix"
    if _REGION_WORD.search(clause):
        return "region word in label"
    if _VERB.search(clause[1:]):
        return "verb between label and value"
    return "other"


def miss_cause(e: Expected, kind: str, got_year: int | None, got_region: str | None, doc_year: int | None) -> str:
    """Why a hand-read figure was missed: the document's year or region first, else the kind of its text."""
    if doc_year is not None and got_year != doc_year:
        return "year wrong/absent"
    if e.region and not _same_region(e.region, got_region):
        return "region wrong/absent"
    return kind


def _same_region(want: str, got: str | None) -> bool:
    """The hand reading may name the parent too (荆门市东宝区) where the reader gives the lowest unit (东宝区), or
    the other way round."""
    if not want:
        return True
    return bool(got) and len(got) >= 2 and (want.endswith(got) or got.endswith(want))


def _is_traditional(raw: str) -> bool:
    return sum(ch in _TRADITIONAL_HINTS for ch in raw) >= 10


def score(code_dir: Path) -> dict:
    sys.path.insert(0, str(code_dir))
    from ingest.bulletins import extract_file
    from ingest.bulletins.units import convert

    expected = load_expected(CORPUS / "figures.csv")
    manifest = load_manifest(CORPUS / "manifest.csv")
    texts = sorted((CORPUS / "texts").glob("*.txt"))
    start = time.perf_counter()
    results = {p.stem: extract_file(p) for p in texts}
    elapsed = time.perf_counter() - start
    per_metric: dict[str, Counter] = defaultdict(Counter)
    per_kind: dict[str, Counter] = defaultdict(Counter)
    years: dict[str, str] = {}
    wrong: list[str] = []
    missed: list[str] = []
    unjudged: list[str] = []
    causes: Counter = Counter()
    regions: dict[str, str] = {}  # the division code per document, against the region its page names
    found_landed = 0  # hand-read figures found in files that land (with a division code, as ingest/landing.py asks)
    for doc_id, result in results.items():
        regions[doc_id] = region_verdict(manifest.get(doc_id) or {}, result.region_code)
        raw = (CORPUS / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8", errors="replace")
        traditional = _is_traditional(raw)
        want_year = (manifest.get(doc_id) or {}).get("year", "")
        if want_year.isdigit():
            years[doc_id] = "right" if result.year == int(want_year) else ("absent" if result.year is None else "wrong")
        elif doc_id in manifest:
            years[doc_id] = "not stated: " + ("absent" if result.year is None else f"gave {result.year}")
        exp = expected.get(doc_id, [])
        # a figure without a year never lands (its file is quarantined asking for --year): a miss, not an error;
        # so is one without a region when the page names it (quarantined asking for --region)
        region_stated = any(e.region for e in exp)
        quarantined = result.year is None or (region_stated and result.region_zh is None)
        # every mapped figure, a value of an earlier year (上年为…, 2022年…修订为…) with its own year
        got = [] if quarantined else [f for f in result.figures if f.metric_key]
        judged = {(e.key, e.year) for e in exp}
        matched_exp: set[int] = set()
        kinds = [text_kind(e, raw, traditional) for e in exp]
        for f in got:
            if (f.metric_key, f.year) not in judged:
                unjudged.append(f"{doc_id} {f.metric_key}={f.value:g}{f.unit} [{f.locator}] {f.label_zh}")
                continue
            ok, kind = False, _kind_of_excerpt(f.excerpt, traditional)
            for i, e in enumerate(exp):  # the same figure given twice (text and table) is right twice
                if e.key != f.metric_key or not _same_region(e.region, result.region_zh):
                    continue
                got_value = Decimal(str(f.value)) if f.value is not None else None
                wants = [convert(v, u, f.unit) if u != f.unit else v for v, u in [(e.value, e.unit), *e.also]]
                same_value = got_value is not None and any(w is not None and _close(w, got_value) for w in wants)
                if same_value and (e.year is None or f.year == e.year):
                    ok, kind = True, kinds[i]
                    matched_exp.add(i)
            per_metric[f.metric_key]["predicted"] += 1
            per_metric[f.metric_key]["correct"] += ok
            per_kind[kind]["predicted"] += 1
            per_kind[kind]["correct"] += ok
            if not ok:
                wrong.append(f"{doc_id} {f.metric_key}={f.value:g}{f.unit} (year {f.year}) [{f.locator}] {f.label_zh}")
        if result.region_code is not None:
            found_landed += len(matched_exp)
        for i, e in enumerate(exp):
            hit = i in matched_exp
            per_metric[e.key]["expected"] += 1
            per_metric[e.key]["found"] += hit
            per_kind[kinds[i]]["expected"] += 1
            per_kind[kinds[i]]["found"] += hit
            if not hit:
                cause = miss_cause(e, kinds[i], result.year, result.region_zh, want_year_of(manifest, doc_id))
                causes[cause] += 1
                missed.append(f"{doc_id} {e.key}={e.value}{e.unit} [{cause}]")
    total = Counter()
    for c in per_metric.values():
        total.update(c)
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": str(code_dir),
        "documents": len(texts),
        "documents_with_figures": sum(1 for d in results if expected.get(d)),
        "expected": total["expected"],
        "seconds": round(elapsed, 2),
        "precision": _ratio(total["correct"], total["predicted"]),
        "recall": _ratio(total["found"], total["expected"]),
        "recall_landed": _ratio(found_landed, total["expected"]),
        "regions": regions,
        "totals": dict(total),
        "per_metric": {k: dict(v) for k, v in sorted(per_metric.items())},
        "previous_year_figures": sum(
            1 for lst in expected.values() for e in lst if e.year and e.year != want_year_of(manifest, e.doc_id)
        ),
        "per_kind": {k: dict(per_kind[k]) for k in KINDS if k in per_kind},
        "misses_by_cause": {k: causes[k] for k in KINDS if causes[k]},
        "years": years,
        "wrong": wrong,
        "missed": missed,
        "unjudged": unjudged,
    }


def region_verdict(row: dict, got_code: str | None) -> str:
    """The document's division code against the region its page names (manifest: region, province), the code
    looked up in the region table of this repository (not the measured checkout's)."""
    want = (row.get("region") or "").strip()
    if not want:
        return "not named" if got_code is None else f"not named: gave {got_code}"
    wanted = _code_of(want, (row.get("province") or "").strip())
    if got_code is None:
        return "absent"
    return "right" if got_code == wanted else f"wrong: {got_code} for {wanted}"


def _code_of(region: str, province: str) -> str | None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_regions", ROOT / "ingest" / "regions.py")
    module = sys.modules.get("_bench_regions")
    if module is None and spec and spec.loader:
        module = importlib.util.module_from_spec(spec)
        sys.modules["_bench_regions"] = module
        spec.loader.exec_module(module)
    division = module.detect_region(region) or module.detect_region(province + region)
    return division.code if division else None


def _kind_of_excerpt(excerpt: str, traditional: bool) -> str:
    """The kind of a figure the reader gave, from its sentence (normalised: romanisation and Traditional gone)."""
    if traditional:
        return "Traditional"
    if _CAPTION.search(excerpt):
        return "caption run-in"
    if _HEADING.match(excerpt):
        return "label fused to previous sentence"
    if _SCOPE.search(excerpt):
        return "scope prefix"
    if _REGION_WORD.search(excerpt):
        return "region word in label"
    return "other"


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def report(scores: dict[str, dict]) -> str:
    labels = list(scores)
    lines = [SECTION, ""]
    lines.append(
        "bench/bench_extract_real.py: every text of bench/real_bulletins/texts read with neither region nor year "
        "given; mapped figures of the statistical year against the hand-read bench/real_bulletins/figures.csv "
        "(a figure counts as right when key, value and year agree, and the region when the page names it; "
        "precision is judged on the metrics the hand reading recorded for that document, the others are counted "
        "as unjudged; a document whose year is not found, or whose region is not found although the page names it, "
        "gives no figure: its file is quarantined). Recall when landed: the landing also quarantines a file whose "
        "region has no division code (ingest/landing.py), so only the figures of files with a code count. Region "
        "code: the document's GB/T 2260 code against the region its page names (manifest), right / wrong / absent; "
        "pages naming none are left out. Kinds: what the figure's text does (heuristic, see the script's "
        "docstring)."
    )
    lines.append("")
    lines.append("| run | when | documents (with hand-read figures) | hand-read figures | precision | recall | "
                 "recall when landed | year right / wrong / absent | region code right / wrong / absent | "
                 "unjudged mapped figures | reading time |")  # fmt: skip
    lines.append("|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|")
    for label, s in scores.items():
        y = Counter(v for v in s["years"].values() if not v.startswith("not stated"))
        s.setdefault("unjudged", [])
        lines.append(
            f"| {label} | {s['when']} | {s['documents']} ({s['documents_with_figures']}) | {s['expected']} | "
            f"{_fmt(s['precision'])} | {_fmt(s['recall'])} | {_fmt(s.get('recall_landed'))} | "
            f"{y['right']} / {y['wrong']} / {y['absent']} | {_region_counts(s)} | "
            f"{len(s['unjudged'])} | {s['seconds']} s |"
        )
    lines += [
        "",
        "Per kind of text around the figure (the same figures in every run; recall = found / hand-read, "
        "precision = right / given):",
        "",
    ]
    lines.append("| kind | " + " | ".join(f"{lb} recall | {lb} precision" for lb in labels) + " |")
    lines.append("|---|" + "---:|---:|" * len(labels))
    for kind in KINDS:
        cells = []
        for label in labels:
            c = scores[label]["per_kind"].get(kind, {})
            cells.append(
                f"{_fmt(_ratio(c.get('found', 0), c.get('expected', 0)))} ({c.get('found', 0)}/{c.get('expected', 0)})"
            )
            cells.append(
                f"{_fmt(_ratio(c.get('correct', 0), c.get('predicted', 0)))} "
                f"({c.get('correct', 0)}/{c.get('predicted', 0)})"
            )
        if any(scores[lb]["per_kind"].get(kind) for lb in labels):
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Hand-read figures missed, by cause (the document's year or region first, else the kind of text):",
        "",
    ]
    lines.append("| cause | " + " | ".join(labels) + " |")
    lines.append("|---|" + "---:|" * len(labels))
    for kind in KINDS:
        counts = [scores[lb].get("misses_by_cause", {}).get(kind, 0) for lb in labels]
        if any(counts):
            lines.append(f"| {kind} | " + " | ".join(str(c) for c in counts) + " |")
    lines += ["", "Per metric:", ""]
    lines.append("| metric | " + " | ".join(f"{lb} recall | {lb} precision" for lb in labels) + " |")
    lines.append("|---|" + "---:|---:|" * len(labels))
    metrics = sorted({m for s in scores.values() for m in s["per_metric"]})
    for metric in metrics:
        cells = []
        for label in labels:
            c = scores[label]["per_metric"].get(metric, {})
            cells.append(
                f"{_fmt(_ratio(c.get('found', 0), c.get('expected', 0)))} ({c.get('found', 0)}/{c.get('expected', 0)})"
            )
            cells.append(
                f"{_fmt(_ratio(c.get('correct', 0), c.get('predicted', 0)))} "
                f"({c.get('correct', 0)}/{c.get('predicted', 0)})"
            )
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    last = scores[labels[-1]]
    lines += ["", f"Year per document ({labels[-1]}): "
              + ", ".join(f"{d} {v}" for d, v in sorted(last["years"].items())), ""]  # fmt: skip
    if "regions" in last:
        lines += [f"Region code per document ({labels[-1]}, where it is not right): "
                  + ", ".join(f"{d} {v}" for d, v in sorted(last["regions"].items()) if v != "right"), ""]  # fmt: skip
    if last["wrong"]:
        lines += [f"Figures given wrong or not in the hand reading ({labels[-1]}):", ""]
        lines += [f"- {w}" for w in last["wrong"]] + [""]
    if last["missed"]:
        lines += [f"Hand-read figures missed ({labels[-1]}):", ""]
        lines += [f"- {m}" for m in last["missed"]] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _region_counts(s: dict) -> str:
    if "regions" not in s:
        return "–"
    r = Counter(v.split(":")[0] for v in s["regions"].values())
    return f"{r['right']} / {r['wrong']} / {r['absent']}"


def write_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = current.find(SECTION)
    if start >= 0:
        nxt = current.find("\n## ", start + len(SECTION))
        current = current[:start].rstrip() + "\n\n" + (current[nxt + 1 :] if nxt >= 0 else "")
    RESULTS.write_text(current.rstrip() + "\n\n" + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after", help="name of this run in RESULTS.md (before, after …)")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose ingest/bulletins is measured")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md and bench/out alone")
    parser.add_argument("--details", action="store_true", help="print every wrong and missed figure")
    args = parser.parse_args(argv)
    s = score(args.code.resolve())
    y = Counter(v for v in s["years"].values() if not v.startswith("not stated"))
    print(f"{args.label}: {s['documents']} documents ({s['documents_with_figures']} with hand-read figures), "
          f"{s['expected']} hand-read figures, read in {s['seconds']} s")  # fmt: skip
    print(f"precision {_fmt(s['precision'])}, recall {_fmt(s['recall'])} (when landed {_fmt(s['recall_landed'])}); "
          f"year right {y['right']}, wrong {y['wrong']}, absent {y['absent']}; "
          f"region code right / wrong / absent {_region_counts(s)}")  # fmt: skip
    for kind, c in s["per_kind"].items():
        found, expected, correct, predicted = (c.get(k, 0) for k in ("found", "expected", "correct", "predicted"))
        print(f"  {kind:<34} recall {_fmt(_ratio(found, expected))} ({found}/{expected})  "
              f"precision {_fmt(_ratio(correct, predicted))} ({correct}/{predicted})")  # fmt: skip
    print("  misses by cause:", ", ".join(f"{k} {v}" for k, v in s["misses_by_cause"].items()))
    if args.details:
        print("wrong:", *s["wrong"], sep="\n  ")
        print("missed:", *s["missed"], sep="\n  ")
        print("years:", s["years"])
        print("unjudged:", *s["unjudged"], sep="\n  ")
    if args.no_write:
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"real_score_{args.label}.json").write_text(json.dumps(s, ensure_ascii=False, indent=1), encoding="utf-8")
    # "before" first, "after" last (the lists of the report are of the last run), any other label in between
    labels = sorted(p.stem.removeprefix("real_score_") for p in OUT.glob("real_score_*.json"))
    labels.sort(key=lambda label: (label != "before", label == "after"))
    kept = {label: json.loads((OUT / f"real_score_{label}.json").read_text(encoding="utf-8")) for label in labels}
    write_section(report(kept))
    print(f"wrote the section of {RESULTS.relative_to(ROOT)} ({', '.join(kept)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
