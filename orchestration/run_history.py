"""How long Dagster's run history is kept: runs past the retention are deleted with their event logs.

Every run leaves its events in the instance (orchestration/dagster.yaml: a SQLite file per run under
history/runs/, and its asset events in the index file): about 2 MB a build at N = 1 (bench/RESULTS.md), so a night
and a few inbox-triggered runs a day grow the instance by more than a gigabyte a year, and the Dagster UI lists
every run. A run is deleted only when all of these hold: it has finished (succeeded, failed or was cancelled),
it is older than `keep_days` (by when it last changed), it is not among the `keep_runs` most recent runs, it is
not the latest successful run of its job, and it holds no asset's latest materialization (the Dagster UI shows
each asset's from it, and deleting it would make an asset look never built). The warehouse keeps its own record
of every build (fct_input_file, meta_build): nothing the statisticians read depends on Dagster's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg

KEEP_DAYS = 90  # a quarter: the last quarterly report's runs can still be looked at
KEEP_RUNS = 100  # however old: a quiet installation keeps some history
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


@dataclass(frozen=True)
class Retention:
    keep_days: int = KEEP_DAYS
    keep_runs: int = KEEP_RUNS

    def __post_init__(self) -> None:
        if self.keep_days < 1 or self.keep_runs < 1:
            raise ValueError(f"keep at least one day and one run (got {self.keep_days} days, {self.keep_runs} runs)")


@dataclass(frozen=True)
class Pruned:
    run_ids: list[str]
    kept: int  # finished runs left
    bytes_freed: int


def _protected(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> set[str]:
    """Runs that hold an asset's latest materialization, and each job's latest successful run (`runs`: newest
    first)."""
    kept: set[str] = set()
    for record in instance.get_asset_records():
        latest = record.asset_entry.last_materialization_record
        if latest is not None:
            kept.add(latest.run_id)
    jobs: set[str] = set()
    for run in runs:
        if run.status == dg.DagsterRunStatus.SUCCESS and run.job_name not in jobs:
            jobs.add(run.job_name)
            kept.add(run.run_id)
    return kept


def runs_to_prune(instance: dg.DagsterInstance, retention: Retention, now: datetime | None = None) -> list[str]:
    """The ids of the finished runs past the retention, oldest first."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention.keep_days)
    records = list(instance.get_run_records(filters=dg.RunsFilter(statuses=FINISHED)))  # newest first
    protected = _protected(instance, [r.dagster_run for r in records])
    old = [
        r.dagster_run.run_id
        for r in records[retention.keep_runs :]
        if r.dagster_run.run_id not in protected and _last_change(r) < cutoff
    ]
    return old[::-1]


def _last_change(record: dg.RunRecord) -> datetime:
    when = record.update_timestamp
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _history_bytes(instance: dg.DagsterInstance) -> int:
    total = 0
    for path in (Path(instance.root_directory) / "history").rglob("*"):
        try:  # a running run's -wal or -shm file may come and go while this counts
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:
            continue
    return total


def prune_run_history(
    instance: dg.DagsterInstance,
    retention: Retention,
    progress: Callable[[str], None] = print,
    now: datetime | None = None,
    dry_run: bool = False,
) -> Pruned:
    """Delete the runs past the retention with their events (and, with the project's event log, their files)."""
    run_ids = runs_to_prune(instance, retention, now)
    finished = instance.get_runs_count(filters=dg.RunsFilter(statuses=FINISHED))
    before = _history_bytes(instance)
    verb = "would delete" if dry_run else "deleting"
    progress(
        f"run history: {finished} finished runs; {verb} {len(run_ids)} (older than {retention.keep_days} days and "
        f"not among the last {retention.keep_runs}, nor the latest build of an asset)"
    )
    for done, run_id in enumerate([] if dry_run else run_ids, 1):
        instance.delete_run(run_id)
        if done % 50 == 0 or done == len(run_ids):
            progress(f"  {done} of {len(run_ids)} runs deleted")
    freed = 0 if dry_run else max(before - _history_bytes(instance), 0)
    return Pruned(run_ids, finished - (0 if dry_run else len(run_ids)), freed)
