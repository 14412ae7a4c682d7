"""The dbt models as Dagster assets (one asset per model; dbt tests become asset checks: a test with severity
`error` fails the build step, so nothing downstream, publishing included, runs; a `warn` test is shown as a
warning and never stops anything)."""

import json
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject, dbt_assets

from orchestration.assets_landing import rejection_part_keys
from orchestration.dbt_arguments import dbt_target_path, run_dbt_arguments
from orchestration.dbt_process import stream_dbt
from orchestration.dbt_worker import DbtWorkers
from orchestration.fingerprint import (
    BuiltState,
    build_db_usable,
    build_fingerprint,
    landed_digests,
    plan_build,
    project_digest,
    region_digests,
    served_fingerprints,
)
from orchestration.locking import retry_when_busy, writer_lock
from orchestration.resources import (
    DBT_PROJECT_DIR,
    WRITER_POOL,
    RunContext,
    WarehouseResource,
    write_run_context,
)

REJECTIONS_SOURCE = dg.AssetKey(["landing", "rejections"])
# dbt's unit tests check the models' logic on fixed rows: they run in the test suite (tests/test_dbt_unit_tests.py)
# and in CI, not every night on data that cannot change their outcome
NIGHTLY_EXCLUDE = ("--exclude-resource-type", "unit_test")
# dbt writes manifest.json twice a build (after parsing, after running: ≈ 0.3 s at any size). A full build writes its
# JSON artifacts (bench/raw_floor.py replays that manifest); an incremental build leaves them as they are, its node
# results being in its Dagster events and dbt.log.
INCREMENTAL_ARTIFACTS = ("--no-write-json",)


class _Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props):  # staging / intermediate / marts, as the folders say
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "marts"
        return super().get_group_name(dbt_resource_props)

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """A dbt test's check carries the test's description (dbt_project/tests/_singular_tests.yml says what
        it means and what to do); `planwatch build` prints it when the test fails or warns."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        description = (manifest.get("nodes", {}).get(unique_id) or {}).get("description")
        if spec is None or not description or spec.description:
            return spec
        return spec._replace(description=description)

    def get_asset_spec(self, manifest, unique_id, project):
        """landing.rejections is one folder that three landing steps write parts of (one per input kind that
        rejects rows): a model reading it depends on those parts, so the lineage shows who wrote what."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        if not any(dep.asset_key == REJECTIONS_SOURCE for dep in spec.deps):
            return spec
        deps = [dep for dep in spec.deps if dep.asset_key != REJECTIONS_SOURCE]
        return spec.replace_attributes(deps=[*deps, *rejection_part_keys()])


def dbt_model_assets(project: DbtProject, manifest) -> dg.AssetsDefinition:
    manifest_data = manifest if isinstance(manifest, dict) else json.loads(Path(manifest).read_text(encoding="utf-8"))

    @dbt_assets(
        manifest=manifest,
        project=project,
        dagster_dbt_translator=_Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
        pool=WRITER_POOL,
    )
    def planwatch_dbt_models(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, dbt_workers: dg.ResourceParam[DbtWorkers]
    ):
        """`dbt build` into the kept build file: only what depends on changed landed tables, and in the per-region
        models only the rows of the regions whose figures changed (orchestration/fingerprint.py plan_build);
        everything on a project, plan or catalog change. The served warehouse is not touched
        here (see published_warehouse).

        When the served warehouse was built from exactly these landed inputs, models and tool versions, nothing
        is rebuilt: the run ends here and the served file (already identical) stays."""
        paths = warehouse.paths()
        project = project_digest(DBT_PROJECT_DIR)
        tables = landed_digests(paths)
        fingerprint = build_fingerprint(project, tables)
        if not warehouse.force_rebuild and served_fingerprints(paths.serving_db)[0] == fingerprint:
            context.log.info(
                f"inputs, catalog and models unchanged since the served build ({fingerprint[:12]}): "
                "nothing to rebuild; the served warehouse stays as it is"
            )
            return
        with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
            paths.build_dir.mkdir(parents=True, exist_ok=True)
            regions = region_digests(paths)
            plan = plan_build(
                BuiltState.load(paths.build_dir),
                project,
                tables,
                build_db_usable(paths.build_db, paths.working_db),
                force=warehouse.force_rebuild,
                regions=regions,
            )
            context.log.info(f"dbt build: {plan.reason}")
            if plan.full:  # fresh files: no model or table of an older project survives
                BuiltState.forget(paths.build_dir)
                for database in (paths.build_db, paths.working_db):
                    for stale in (database, database.with_name(database.name + ".wal")):
                        stale.unlink(missing_ok=True)
            write_run_context(
                paths, RunContext(context.run.run_id, fingerprint, warehouse.input_fingerprint, plan.changed_regions)
            )
            kept = plan.exclusions(manifest_data)
            if kept:
                context.log.info(f"dbt build: {len(kept)} models and seeds kept as built: {', '.join(kept)}")
            args = ["build", *(["--exclude", " ".join(kept)] if kept else []), *NIGHTLY_EXCLUDE]
            if not plan.full:
                args += INCREMENTAL_ARTIFACTS
            # the run's own values reach dbt as the landed run context, not as vars: the same vars every run let dbt
            # reuse its parse; dbt runs in a process of its own, started early by `planwatch build`
            # (orchestration/dbt_worker.py says why)
            common = run_dbt_arguments(paths)
            yield from stream_dbt(dbt_workers.take(), args, common, context, target_path=dbt_target_path(paths))
            BuiltState(project, tables, regions).save(paths.build_dir)  # only after every model and test passed

    return planwatch_dbt_models
