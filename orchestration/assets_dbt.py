"""The dbt models as Dagster assets (one asset per model; dbt tests become asset checks)."""

import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.fingerprint import build_fingerprint, served_fingerprint
from orchestration.locking import retry_when_busy, writer_lock
from orchestration.resources import DBT_PROJECT_DIR, WRITER_POOL, WarehouseResource, dbt_project, ensure_manifest


class _Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props):  # staging / intermediate / marts, as the folders say
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "marts"
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=ensure_manifest(dbt_project),
    project=dbt_project,
    dagster_dbt_translator=_Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool=WRITER_POOL,
)
def planwatch_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` into a fresh build file; the served warehouse is not touched here (see published_warehouse).

    When the served warehouse was built from exactly these landed inputs, models and tool versions, nothing is
    rebuilt: the run ends here and the served file (already identical) stays."""
    paths = warehouse.paths()
    warehouse.dbt_env()
    fingerprint = build_fingerprint(paths, DBT_PROJECT_DIR)
    if not warehouse.force_rebuild and served_fingerprint(paths.serving_db) == fingerprint:
        context.log.info(
            f"inputs, catalog and models unchanged since the served build ({fingerprint[:12]}): "
            "nothing to rebuild; the served warehouse stays as it is"
        )
        return
    os.environ["PLANWATCH_BUILD_FINGERPRINT"] = fingerprint
    os.environ["PLANWATCH_RUN_ID"] = context.run.run_id
    with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
        paths.build_dir.mkdir(parents=True, exist_ok=True)
        for stale in (paths.build_db, paths.build_db.with_name(paths.build_db.name + ".wal")):
            stale.unlink(missing_ok=True)  # a fresh file every run: nothing half-built survives a killed run
        # one target folder per warehouse, reused run after run: dbt parses only what changed, and nothing piles up
        yield from dbt.cli(["build"], context=context, target_path=paths.warehouse / "dbt_target").stream()
