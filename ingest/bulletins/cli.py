"""`planwatch extract FILE...`: check what the reader gets out of a bulletin before it goes in."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ingest.bulletins import ExtractionResult, extract_file
from planwatch_core.errors import InputError

OUTPUT_KEYS = (
    "region_zh",
    "year",
    "period",
    "metric_key",
    "label_zh",
    "value",
    "unit",
    "growth_pct",
    "locator",
    "excerpt",
    "note",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract the figures of statistical bulletins (统计公报), each with its source sentence",
        description="Read bulletins (text, HTML, PDF, DOCX) and print every figure with its locator and excerpt.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--format",
        choices=("jsonl", "table"),
        default=None,
        help="jsonl (default when output is not a terminal) or table",
    )
    parser.add_argument("--region", help="region name or GB/T 2260 code, e.g. 黔江区 or 500105 (overrides the title)")
    parser.add_argument("--year", type=int, help="statistical year (overrides the title)")
    parser.add_argument("--mapped-only", action="store_true", help="only figures with a metric key")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    results: list[ExtractionResult] = []
    failed = 0
    for file in args.files:
        try:
            result = extract_file(file, region_zh=args.region, year=args.year)
        except InputError as exc:
            failed += 1
            print(f"error: {exc}", file=err)
            continue
        results.append(result)
        figures = [f for f in result.figures if f.metric_key or not args.mapped_only]
        if fmt == "jsonl":
            for f in figures:
                print(json.dumps({k: getattr(f, k) for k in OUTPUT_KEYS}, ensure_ascii=False), file=out)
        else:
            _print_table(result, figures, out)
        if result.year is None:
            print(
                f"note: {result.document_id}: the statistical year is stated neither in the title nor in the opening "
                "sentences (a publication date is not the year); its figures carry no year and the pipeline "
                "quarantines the file: give it with --year",
                file=err,
            )
        if result.region_code is None:
            print(f"note: {result.document_id}: {result.region_problem()}: give it with --region", file=err)
        if result.period != "annual":
            print(f"note: {result.document_id} is a {result.period} report, not annual figures", file=err)
        for rejection in result.rejections:
            print(f"rejected: {rejection.locator}: {rejection.reason}", file=err)
    n_figures = sum(len(r.figures) for r in results)
    n_mapped = sum(1 for r in results for f in r.figures if f.metric_key)
    n_rejected = sum(len(r.rejections) for r in results)
    print(
        f"documents: {len(results)}, figures: {n_figures}, mapped: {n_mapped}, rejected: {n_rejected}"
        + (f", unreadable files: {failed}" if failed else ""),
        file=err,
    )
    return 2 if failed else 0


def _print_table(result: ExtractionResult, figures: list, out: TextIO) -> None:
    print(f"# {result.document_id}: {result.region_zh or '?'} {result.year or '?'} {result.period}", file=out)
    for f in figures:
        growth = "" if f.growth_pct is None else f"{f.growth_pct:+g}%"
        value = "" if f.value is None else f"{f.value:g}"
        note = f"  ({f.note})" if f.note else ""
        print(
            f"{f.metric_key or '-':<34} {value:>14} {f.unit:<6} {growth:>8}  {f.label_zh}  [{f.locator}]{note}",
            file=out,
        )
