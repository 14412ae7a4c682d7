"""`planwatch template` writes the submission template; `planwatch check-submission` validates a filled one
before it goes into inbox/submissions/ (the same checks the nightly run applies)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.catalog import load_regions
from ingest.landing import catalog_context
from ingest.submissions import read_submission_file, submission_indicators, write_template_csv, write_template_xlsx
from planwatch_core import paths as paths_module


def _regions_by_slug(paths: paths_module.Paths) -> dict[str, str]:
    return {region.slug: region.code for region, _ in load_regions(paths.catalog / "regions.yaml")}


def register(subparsers: argparse._SubParsersAction) -> None:
    template = subparsers.add_parser(
        "template",
        help="write the department-submission template (XLSX or CSV) of a plan",
        description="List every indicator whose actual a department submits (per the catalog), one row per year.",
    )
    template.add_argument("plan_id", help="e.g. qianjiang-14th")
    target = template.add_mutually_exclusive_group(required=True)
    target.add_argument("--xlsx", type=Path, help="write an Excel workbook (with drop-down lists for verdicts)")
    target.add_argument("--csv", type=Path, help="write a UTF-8 CSV")
    template.set_defaults(handler=run_template)

    check = subparsers.add_parser(
        "check-submission",
        help="validate a filled submission file and print every row problem",
        description="Validate a submission (XLSX/CSV) exactly as the nightly run will; nothing is stored.",
    )
    check.add_argument("file", type=Path)
    check.set_defaults(handler=run_check)


def run_template(args: argparse.Namespace) -> int:
    paths = paths_module.current()
    context = catalog_context(paths)
    indicators = submission_indicators(context.catalog, _regions_by_slug(paths), args.plan_id)
    if not indicators:
        plans = sorted({e.indicator_id.rsplit("-", 1)[0] for e in context.catalog})
        print(
            f"error: no submitted indicators for plan {args.plan_id!r}; plans in the catalog: {', '.join(plans)}",
            file=sys.stderr,
        )
        return 2
    path = args.xlsx or args.csv
    rows = (write_template_xlsx if args.xlsx else write_template_csv)(indicators, path)
    print(
        f"wrote {path}: {len(indicators)} indicators × years = {rows} rows to fill; "
        f"put the filled file in {paths.inbox_dir('submissions')}/",
        file=sys.stderr,
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    paths = paths_module.current()
    context = catalog_context(paths)
    values, rejections = read_submission_file(args.file, context.catalog, _regions_by_slug(paths))
    for rejection in rejections:
        print(f"{args.file.name}: {rejection['place']}: {rejection['reason']}")
    print(f"{args.file.name}: {len(values)} rows valid, {len(rejections)} rejected", file=sys.stderr)
    return 1 if rejections else 0
