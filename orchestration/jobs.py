"""The nightly job, its schedule and the inbox sensor."""

import hashlib

import dagster as dg

from ingest import landing
from ingest.guard import DEFAULT_LIMITS
from orchestration.instance import release_dead_runs
from orchestration.resources import WarehouseResource
from orchestration.run_history import KEEP_DAYS, KEEP_RUNS, Retention, prune_run_history

SCHEDULE_TIMEZONE = "Asia/Shanghai"  # the district's clock, for every schedule

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Land inputs → dbt build (models and tests) → checks → publish the warehouse.",
    tags={"planwatch/writer": "warehouse"},
    # One process for the whole run: the steps write one warehouse one after another anyway, and a process per
    # step would pay the start-up (imports, dbt manifest) ten times over.
    executor_def=dg.in_process_executor,
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_0200_shanghai",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone=SCHEDULE_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 China Standard Time.",
)


# kind → file name → [size, mtime_ns, inode, sha256] of files this process hashed on an earlier tick
_SENSOR_HASHES: dict[str, dict[str, list]] = {}


def inbox_fingerprint(warehouse: WarehouseResource) -> str:
    """A hash over the kind, name and content of every file landing would read (its rule,
    ingest.landing.inbox_files: hidden names, READMEs, folders and links out of the inbox never trigger a run). A
    file whose size, mtime and inode are those it had when last hashed (by landing: its stat cache, read only here;
    or by an earlier tick) is not read again. A file over the landing size limit is quarantined unread, so it
    counts by size and time, not by hashing it on every tick."""
    paths = warehouse.paths()
    digest = hashlib.sha256()
    known: dict[str, dict[str, list]] = {}
    for kind, path in landing.inbox_files(paths):
        if kind not in known:
            known[kind] = {**landing.load_stat_cache(paths, kind), **_SENSOR_HASHES.get(kind, {})}
        try:
            stat = path.stat()
            if stat.st_size > DEFAULT_LIMITS.max_file_bytes:
                content = f"{stat.st_size}:{stat.st_mtime_ns}".encode()
            else:
                content = landing.cached_sha256(path, known[kind], _SENSOR_HASHES.setdefault(kind, {})).encode()
        except OSError:  # vanished or unreadable between listing and reading: landing will say why
            content = b"unreadable"
        digest.update(f"{kind}/{path.name}\0".encode())
        digest.update(content)
    return digest.hexdigest()


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the pipeline when a file in the inbox is new, changed or removed (by content hash).",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    # a `planwatch build` killed on this machine would otherwise keep the writer slot the nightly run waits for
    for line in release_dead_runs(context.instance):
        context.log.warning(line)
    fingerprint = inbox_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SkipReason("inbox unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"planwatch/trigger": "inbox"})


class RetentionConfig(dg.Config):
    """How much run history to keep (orchestration/run_history.py says which runs are never deleted)."""

    keep_days: int = KEEP_DAYS
    keep_runs: int = KEEP_RUNS


@dg.op(description="Delete the finished runs past the retention, with their event logs.")
def prune_run_history_op(context: dg.OpExecutionContext, config: RetentionConfig) -> None:
    pruned = prune_run_history(context.instance, Retention(config.keep_days, config.keep_runs), context.log.info)
    context.log.info(
        f"run history: {len(pruned.run_ids)} runs deleted, {pruned.kept} kept, "
        f"{pruned.bytes_freed / 2**20:.1f} MB freed"
    )


@dg.job(
    name="run_history",
    description="Keep Dagster's run history bounded: delete finished runs past the retention.",
    executor_def=dg.in_process_executor,
)
def run_history_job() -> None:
    prune_run_history_op()


run_history_schedule = dg.ScheduleDefinition(
    name="run_history_weekly",
    job=run_history_job,
    cron_schedule="30 3 * * 0",
    execution_timezone=SCHEDULE_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Sundays at 03:30 China Standard Time, after the night's build.",
)
