"""`planwatch build`: run the whole pipeline in this process (land → dbt build → checks → publish)."""

from __future__ import annotations

import argparse
import os
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="land the inbox, build and test the warehouse, publish it",
        description="Run the nightly job in this process. Exits non-zero if any step or blocking check fails; "
        "the served warehouse is then left exactly as it was.",
    )
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed since the served build")
    parser.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    if args.force:
        os.environ["PLANWATCH_FORCE_REBUILD"] = "1"
    import dagster as dg

    from orchestration.definitions import defs
    from planwatch.paths import current

    paths = current()
    started = time.monotonic()
    print(f"planwatch build: inbox {paths.inbox} → warehouse {paths.serving_db}", file=sys.stderr)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("nightly")
    level = "WARNING" if args.quiet else "INFO"
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": level}}}},
    )
    elapsed = time.monotonic() - started
    failed = [event for event in result.all_events if event.is_step_failure]
    check_failures = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    ]
    for evaluation in check_failures:
        what = evaluation.metadata.get("what_to_do")
        level = "warning" if evaluation.severity == dg.AssetCheckSeverity.WARN else "check failed"
        advice = f": {what.value}" if what else ""
        print(f"{level}: {evaluation.asset_key.to_user_string()} {evaluation.check_name}{advice}", file=sys.stderr)
    if not result.success:
        for event in failed:
            print(f"step failed: {event.step_key}: {event.event_specific_data.error.message.strip()}", file=sys.stderr)
        print(
            f"planwatch build FAILED after {elapsed:.0f}s; the served warehouse is unchanged. "
            f"Fix the error above and run `planwatch build` again.",
            file=sys.stderr,
        )
        return 1
    published = any(e.is_step_success and e.step_key == "published_warehouse" for e in result.all_events)
    if published:
        print(f"planwatch build: done in {elapsed:.0f}s; published {paths.serving_db}", file=sys.stderr)
    else:
        print(
            f"planwatch build: done in {elapsed:.0f}s; nothing changed since the served build, "
            f"{paths.serving_db} left as it is (use --force to rebuild anyway)",
            file=sys.stderr,
        )
    return 0
