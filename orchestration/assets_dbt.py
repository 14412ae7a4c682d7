"""The dbt models as Dagster assets (one asset per model; dbt tests become asset checks)."""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.locking import writer_lock
from orchestration.resources import WarehouseResource, dbt_project, ensure_manifest


class _Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props):  # staging / intermediate / marts, as the folders say
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "marts"
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=ensure_manifest(dbt_project),
    project=dbt_project,
    dagster_dbt_translator=_Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def planwatch_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` into a fresh build file; the served warehouse is not touched here (see published_warehouse)."""
    paths = warehouse.paths()
    warehouse.dbt_env()
    with writer_lock(paths.warehouse):
        paths.build_dir.mkdir(parents=True, exist_ok=True)
        for stale in (paths.build_db, paths.build_db.with_name(paths.build_db.name + ".wal")):
            stale.unlink(missing_ok=True)  # a fresh file every run: nothing half-built survives a killed run
        yield from dbt.cli(["build"], context=context).stream()
