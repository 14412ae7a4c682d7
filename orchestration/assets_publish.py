"""The served warehouse: published by an atomic replace once `dbt build` passed.

It waits for marts.meta_build, the model every build makes (an incremental build leaves unchanged models as
they were). The build's checks are dbt's tests and nothing else (dbt_project/tests, the models' YAML); Dagster
shows them as asset checks of the models. A test with severity `error` fails the dbt step, so this step never runs
and the served file stays as it was; a `warn` test (the bulletin freshness) is reported and publishing goes on."""

import dagster as dg

from orchestration import publish
from orchestration.locking import retry_when_busy, writer_lock
from orchestration.resources import WRITER_POOL, WarehouseResource


def _run_row_key(dbt_models: dg.AssetsDefinition) -> dg.AssetKey:
    """marts.meta_build: rebuilt by every build (it reads the run's own row), after the marts it counts."""
    return next(key for key in dbt_models.keys if key.path[-1] == "meta_build")


def published_warehouse_asset(dbt_models: dg.AssetsDefinition) -> dg.AssetsDefinition:
    # Depends on the one model every build makes: an incremental build leaves the models whose inputs did not
    # change as they were (no materialization), and a failed model or error test fails the whole dbt step, so
    # nothing is published then.
    @dg.asset(
        name="published_warehouse",
        group_name="serving",
        deps=[_run_row_key(dbt_models)],
        kinds={"duckdb"},
        pool=WRITER_POOL,
        description="warehouse/serving/planwatch.duckdb: the last good build, replaced atomically; what dashboards "
        "read.",
    )
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        paths = warehouse.paths()
        with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
            outcome = publish.publish(paths.build_db, paths.serving_db)
        context.log.info(f"published {outcome.served_path} ({outcome.size_bytes / 1e6:.1f} MB, {outcome.method})")
        return dg.MaterializeResult(
            metadata={
                "path": str(outcome.served_path),
                "size_mb": round(outcome.size_bytes / 1e6, 2),
                "method": outcome.method,
                "mart_rows": dg.MetadataValue.json(outcome.tables),
            }
        )

    return published_warehouse
