"""The one Dagster `Definitions` of planwatch (see [tool.dagster] in pyproject.toml)."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.assets_dbt import planwatch_dbt_models
from orchestration.assets_landing import catalog_drift_check, landing_assets, plan_target_counts_check
from orchestration.assets_publish import published_warehouse
from orchestration.jobs import inbox_sensor, nightly_job, nightly_schedule
from orchestration.resources import WarehouseResource, dbt_resource

defs = dg.Definitions(
    assets=[*landing_assets, planwatch_dbt_models, published_warehouse],
    asset_checks=[catalog_drift_check, plan_target_counts_check],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[inbox_sensor],
    resources={
        "dbt": dbt_resource(),
        "warehouse": WarehouseResource(
            force_rebuild=os.environ.get("PLANWATCH_FORCE_REBUILD") == "1",
            lock_timeout_s=float(os.environ.get("PLANWATCH_LOCK_TIMEOUT_S", "120")),
        ),
    },
)
