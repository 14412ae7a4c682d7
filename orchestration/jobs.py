"""The nightly job, its schedule and the inbox sensor."""

import hashlib

import dagster as dg

from orchestration.resources import WarehouseResource
from planwatch_core.paths import INPUT_KINDS

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
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 China Standard Time.",
)


def inbox_fingerprint(warehouse: WarehouseResource) -> str:
    """A hash over every inbox file's kind, name and content: it changes exactly when an input does."""
    paths = warehouse.paths()
    digest = hashlib.sha256()
    for kind in INPUT_KINDS:
        folder = paths.inbox_dir(kind)
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                digest.update(f"{kind}/{path.name}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the pipeline when a file in the inbox is new, changed or removed (by content hash).",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint = inbox_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SkipReason("inbox unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"planwatch/trigger": "inbox"})
