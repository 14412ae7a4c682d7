"""The one Dagster `Definitions` of planwatch (see [tool.dagster] in pyproject.toml).

Importing this module does nothing: `defs` is loaded lazily (`@dg.definitions`) when Dagster's tools ask for it,
from the settings of the environment; `planwatch build` calls build_definitions with the settings it made from
its command line. Building the definitions parses the dbt project if its manifest is missing or stale."""

from __future__ import annotations

import dagster as dg

from orchestration.assets_dbt import dbt_model_assets
from orchestration.assets_landing import catalog_drift_check, landing_assets, plan_target_counts_check
from orchestration.assets_publish import published_warehouse_asset
from orchestration.dbt_worker import DbtWorkers
from orchestration.jobs import inbox_sensor, nightly_job, nightly_schedule, run_history_job, run_history_schedule
from orchestration.resources import WarehouseResource, dbt_project, ensure_manifest
from planwatch_core.settings import Settings


def build_definitions(settings: Settings, dbt_workers: DbtWorkers | None = None) -> dg.Definitions:
    """`dbt_workers`: where the dbt step gets its dbt process (`planwatch build` passes the one it started at its
    first line); by default the step starts one."""
    project = dbt_project()
    dbt_models = dbt_model_assets(project, ensure_manifest(project))
    return dg.Definitions(
        assets=[*landing_assets(), dbt_models, published_warehouse_asset(dbt_models)],
        asset_checks=[catalog_drift_check, plan_target_counts_check],
        jobs=[nightly_job, run_history_job],
        schedules=[nightly_schedule, run_history_schedule],
        sensors=[inbox_sensor],
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "dbt_workers": dg.ResourceDefinition.hardcoded_resource(dbt_workers or DbtWorkers()),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.from_environment())
