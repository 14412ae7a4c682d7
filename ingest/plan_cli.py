"""`planwatch parse-plan FILE`: print every target the parser reads from a plan outline, with the dim_indicator
columns, so a statistician can check a new plan document before it goes into the inbox."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from ingest.plan_document import read_plan_file, target_records
from ingest.themes import load_theme_rules
from planwatch_core import paths as paths_module

COLUMNS = (
    "indicator_id",
    "plan_id",
    "kind",
    "seq",
    "parent_seq",
    "name_zh",
    "unit",
    "theme_code",
    "attribute",
    "target_aggregation",
    "target_comparator",
    "price_basis",
    "baseline_year",
    "baseline_value",
    "baseline_text",
    "target_year",
    "target_value",
    "target_text",
    "result_text",
    "source_table",
    "source_locator",
    "excerpt",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parse-plan",
        help="parse a plan outline and print its targets",
        description="Parse a five-year-plan outline (plain text, table cells as tab lines) and print every target.",
    )
    parser.add_argument("file", type=Path, help="the plan outline, e.g. inbox/plans/qianjiang_14th_fyp_outline.txt")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths = paths_module.current()
    if not args.file.is_file():
        print(f"error: {args.file}: no such file (give the path of a plan outline)", file=sys.stderr)
        return 2
    document = read_plan_file(args.file, paths.catalog / "regions.yaml")
    records = target_records(document, load_theme_rules(paths.catalog / "themes.yaml"))
    rows = [{column: record[column] for column in COLUMNS} for record in records]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for record in records:
        key = f"{record['plan_id']} {record['kind']}"
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))
    print(f"{args.file.name}: {len(records)} targets ({summary})", file=sys.stderr)
    return 0
