"""`planwatch build`: run the whole pipeline in this process (land → dbt build and tests → publish).

When the inbox, the catalog, the readers and the dbt project are exactly what the served warehouse was built
from (orchestration/fingerprint.py input_fingerprint against marts.meta_build), it says so and stops before
importing Dagster, dbt or the readers: a no-change run costs a hash of the inputs. Otherwise its first act is to
start the run's dbt process (orchestration/dbt_worker.py), which imports dbt, parses the project and readies its
macros on the second core while this process imports Dagster and lands the inbox."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

from orchestration.dbt_worker import DbtWorker, DbtWorkers  # standard library only at its top: costs no start-up
from orchestration.fingerprint import DBT_PROJECT_DIR, input_fingerprint, served_fingerprints
from planwatch_core.settings import Settings


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
    history = subparsers.add_parser(
        "history",
        help="delete Dagster runs past the retention (the run_history job does it every Sunday)",
        description="Delete the finished runs of the services' Dagster instance (DAGSTER_HOME, else .local/dagster) "
        "older than --keep-days and not among the last --keep-runs, with their event logs. Never deleted: a run "
        "still going, each job's latest successful run, a run holding an asset's latest materialization.",
    )
    history.add_argument("--keep-days", type=int, default=None, help="keep runs younger than this (default 90)")
    history.add_argument("--keep-runs", type=int, default=None, help="always keep this many latest (default 100)")
    history.add_argument("--dry-run", action="store_true", help="only say how many runs would be deleted")
    history.set_defaults(handler=run_history)


def run_config(settings: Settings, quiet: bool = False, inputs: str = "") -> dict:
    """The run's configuration: the settings' folders, --force (settings.force_rebuild) and the input fingerprint
    reach the warehouse resource here, not through the environment (run config replaces a resource's whole
    configuration)."""
    from orchestration.resources import WarehouseResource

    warehouse = WarehouseResource.from_settings(settings)
    fields = ("inbox", "warehouse", "catalog", "force_rebuild", "lock_timeout_s")
    config = {name: getattr(warehouse, name) for name in fields} | {"input_fingerprint": inputs}
    return {
        "loggers": {"console": {"config": {"log_level": "WARNING" if quiet else "INFO"}}},
        "resources": {"warehouse": {"config": config}},
    }


def run_build(args: argparse.Namespace) -> int:
    settings: Settings = getattr(args, "settings", None) or Settings.from_environment()
    settings = settings.with_(force_rebuild=settings.force_rebuild or args.force)
    paths = settings.paths
    started = time.monotonic()
    print(f"planwatch build: inbox {paths.inbox} → warehouse {paths.serving_db}", file=sys.stderr)
    inputs = input_fingerprint(paths, DBT_PROJECT_DIR)
    if not settings.force_rebuild and served_fingerprints(paths.serving_db)[1] == inputs:
        print(
            f"planwatch build: done in {time.monotonic() - started:.1f}s; the inbox, catalog, readers and models "
            f"are those the served warehouse was built from ({inputs[:12]}): nothing to do, "
            f"{paths.serving_db} left as it is (use --force to rebuild anyway)",
            file=sys.stderr,
        )
        return 0
    from orchestration.dbt_arguments import run_dbt_arguments

    worker = DbtWorker.start()
    # parsed at once: an unchanged project's parse only reads dbt's partial-parse file (a changed one writes it, as
    # any dbt command of a run would), and the arguments are those the dbt step will build with
    worker.parse(run_dbt_arguments(paths))
    try:
        return _run_job(args, settings, inputs, started, worker)
    finally:
        worker.stop()  # a run that ended before its dbt step (nothing changed, a failed landing) never used it


def _run_job(args: argparse.Namespace, settings: Settings, inputs: str, started: float, worker: DbtWorker) -> int:
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.instance import wait_for_other_runs, write_instance_config
    from orchestration.locking import WarehouseBusy

    defs = build_definitions(settings, DbtWorkers(worker))
    # with DAGSTER_HOME, the run is kept in that instance, configured as the services' one (orchestration/dagster.yaml)
    instance = (
        dg.DagsterInstance.from_config(str(write_instance_config(settings.dagster_home)))
        if settings.dagster_home
        else dg.DagsterInstance.ephemeral()
    )
    with instance:  # closing it closes the event log's open connections (orchestration/event_log_storage.py)
        try:  # one writer at a time: wait here, saying so, rather than silently inside Dagster's executor
            wait_for_other_runs(instance, "nightly", settings.lock_timeout_s, _say)
        except WarehouseBusy as busy:
            print(f"planwatch build: not started: {busy}", file=sys.stderr)
            return 1
        return _execute(args, settings, inputs, started, defs, instance)


def run_history(args: argparse.Namespace) -> int:
    import dagster as dg

    from orchestration.instance import write_instance_config
    from orchestration.run_history import KEEP_DAYS, KEEP_RUNS, Retention, prune_run_history

    settings: Settings = getattr(args, "settings", None) or Settings.from_environment()
    home = settings.service_dagster_home
    try:
        retention = Retention(
            KEEP_DAYS if args.keep_days is None else args.keep_days,
            KEEP_RUNS if args.keep_runs is None else args.keep_runs,
        )
    except ValueError as exc:
        print(f"planwatch history: {exc}", file=sys.stderr)
        return 2
    if not (home / "history").is_dir():
        print(f"planwatch history: no run history in {home} (no run has been kept there): nothing to delete")
        return 0
    with dg.DagsterInstance.from_config(str(write_instance_config(home))) as instance:
        pruned = prune_run_history(instance, retention, progress=print, dry_run=args.dry_run)
    if args.dry_run:
        print(f"planwatch history: {len(pruned.run_ids)} runs would be deleted; run it without --dry-run to do so")
    else:
        print(
            f"planwatch history: {len(pruned.run_ids)} runs deleted, {pruned.kept} finished runs kept, "
            f"{pruned.bytes_freed / 2**20:.1f} MB freed in {home / 'history'}"
        )
    return 0


def _say(line: str) -> None:
    print(f"planwatch build: {line}", file=sys.stderr)


def _execute(args: argparse.Namespace, settings: Settings, inputs: str, started: float, defs, instance) -> int:
    from orchestration.instance import run_tags

    paths = settings.paths
    job = defs.resolve_job_def("nightly")
    # --quiet: dbt's own lines (dagster-dbt re-emits them on stdout) go to a log file, the summary to the terminal
    log = settings.local_dir / "logs" / "planwatch-build.log"
    if args.quiet:
        log.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if args.quiet:
            stack.enter_context(contextlib.redirect_stdout(stack.enter_context(log.open("w", encoding="utf-8"))))
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config(settings, quiet=args.quiet, inputs=inputs),
            tags=run_tags(),
        )
    elapsed = time.monotonic() - started
    _report_checks(defs, result)
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                error = event.event_specific_data.error.message.strip()
                print(f"step failed: {event.step_key}: {error}", file=sys.stderr)
        print(
            f"planwatch build FAILED after {elapsed:.0f}s; the served warehouse is unchanged. "
            f"Fix the error above and run `planwatch build` again.",
            file=sys.stderr,
        )
        if args.quiet:
            print(f"dbt's output: {log}", file=sys.stderr)
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


def _report_checks(defs, result) -> None:
    """One line per failed check (a dbt test): `warning:` for severity warn, `check failed:` for a blocking one,
    with the test's description, which says what to do."""
    import dagster as dg

    graph = defs.resolve_asset_graph()
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.asset_check_evaluation_data
        if evaluation.passed:
            continue
        level = "warning" if evaluation.severity == dg.AssetCheckSeverity.WARN else "check failed"
        key = dg.AssetCheckKey(evaluation.asset_key, evaluation.check_name)
        description = graph.get_check_spec(key).description if key in graph.asset_check_keys else None
        advice = f": {description.strip()}" if description else ""
        print(f"{level}: {evaluation.asset_key.to_user_string()} {evaluation.check_name}{advice}", file=sys.stderr)
