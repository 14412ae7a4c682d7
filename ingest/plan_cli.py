"""`planwatch parse-plan FILE`: print every target the parser reads from a plan outline, with the dim_indicator
columns, so a statistician can check a new plan document before it goes into the inbox.
`planwatch catalog draft FILE`: write a reviewable catalog draft for its unreviewed table indicators.
`planwatch catalog check`: report drift between the plans in the inbox and the reviewed catalog."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from ingest.catalog import drift, load_catalog, reviewed_plan_id
from ingest.catalog_draft import draft_entries, draft_path, draft_yaml, pending_fields
from ingest.plan_document import read_plan_file, rejection_records, target_records
from ingest.plan_formats import SUFFIXES
from ingest.themes import load_theme_rules
from planwatch_core import paths as paths_module
from planwatch_core.yaml_load import safe_load

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
        description="Parse a five-year-plan outline (.txt, .docx, .pdf, .html) and print every target.",
    )
    parser.add_argument("file", type=Path, help="the plan outline, e.g. inbox/plans/qianjiang_14th_fyp_outline.txt")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--region", help="region name or 6-digit code, e.g. 黔江区 (overrides the title)")
    parser.set_defaults(handler=run)

    catalog = subparsers.add_parser("catalog", help="catalog drafts and drift checks")
    actions = catalog.add_subparsers(dest="catalog_action", required=True)
    draft = actions.add_parser("draft", help="write a reviewable catalog draft for a plan's unreviewed indicators")
    draft.add_argument("file", type=Path, help="the plan outline")
    draft.add_argument("--region", help="region name or code (overrides the title)")
    draft.add_argument("--out", type=Path, help="where to write (default: <catalog>/drafts/<file stem>.yaml)")
    draft.set_defaults(handler=run_draft)
    check = actions.add_parser("check", help="drift between the inbox's plans and the reviewed catalog")
    check.set_defaults(handler=run_check)


def run(args: argparse.Namespace) -> int:
    paths = paths_module.current()
    if not args.file.is_file():
        print(f"error: {args.file}: no such file (give the path of a plan outline)", file=sys.stderr)
        return 2
    document = read_plan_file(args.file, paths.catalog / "regions.yaml", args.region)
    records = target_records(document, load_theme_rules(paths.catalog / "themes.yaml"))
    for rejection in rejection_records(document):
        print(f"rejected: {args.file.name}: {rejection['place']}: {rejection['reason']}", file=sys.stderr)
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


def run_draft(args: argparse.Namespace) -> int:
    paths = paths_module.current()
    if not args.file.is_file():
        print(f"error: {args.file}: no such file (give the path of a plan outline)", file=sys.stderr)
        return 2
    themes = load_theme_rules(paths.catalog / "themes.yaml")
    document = read_plan_file(args.file, paths.catalog / "regions.yaml", args.region)
    records = target_records(document, themes)
    reviewed = {e.indicator_id for e in load_catalog(paths.catalog / "indicators.yaml", set(themes.codes))}
    aliases_file = paths.catalog / "metric_aliases.yaml"
    aliases = safe_load(aliases_file.read_text(encoding="utf-8")) if aliases_file.is_file() else {}
    entries = draft_entries(records, reviewed, aliases)
    out = args.out or draft_path(paths.catalog / "drafts", args.file)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(draft_yaml(args.file.name, entries), encoding="utf-8")
    print(f"{out}: {len(entries)} indicators drafted, every field proposed (set status: reviewed once checked)")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Drift of the reviewed catalog against the plans in the inbox; unreviewed plans are listed as 待审核."""
    paths = paths_module.current()
    themes = load_theme_rules(paths.catalog / "themes.yaml")
    entries = load_catalog(paths.catalog / "indicators.yaml", set(themes.codes))
    reviewed_plans = {reviewed_plan_id(e) for e in entries}
    parsed: list[dict] = []
    for file in sorted(p for p in (paths.inbox / "plans").iterdir() if p.suffix.lower() in SUFFIXES):
        parsed += target_records(read_plan_file(file, paths.catalog / "regions.yaml"), themes)
    found = drift(parsed, entries)
    for item in found:
        print(f"drift: {item}")
    pending = sorted({r["plan_id"] for r in parsed if r["kind"] == "table"} - reviewed_plans)
    for plan_id in pending:
        count = sum(1 for r in parsed if r["plan_id"] == plan_id and r["kind"] == "table")
        print(f"待审核: {plan_id}: {count} table indicators have no reviewed entry (see `planwatch catalog draft`)")
    drafts = paths.catalog / "drafts"
    for draft in sorted(drafts.glob("*.yaml")) if drafts.is_dir() else []:
        fields = pending_fields(draft.read_text(encoding="utf-8"))
        print(f"draft {draft.name}: {len(fields)} fields still proposed")
    print(f"{len(entries)} reviewed entries, {len(found)} drift")
    return 1 if found else 0
