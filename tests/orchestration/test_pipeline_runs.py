"""The nightly job run in-process through Dagster's own API: it lands, builds, checks and publishes; a rerun with
unchanged inputs publishes nothing new and does far less work; a forced rebuild publishes the same rows."""

import hashlib
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.cli import run_config
from orchestration.definitions import build_definitions
from planwatch_core.paths import Paths
from planwatch_core.settings import Settings

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """A temporary inbox (default inputs plus one unreadable file) and warehouse, handed to the definitions as
    settings (nothing goes through the environment)."""
    root = tmp_path_factory.mktemp("inprocess")
    inbox = root / "inbox"
    shutil.copytree(REPO / "inbox", inbox)
    (inbox / "bulletins" / "unreadable.docx").write_bytes(b"PK\x03\x04 not a real docx")
    return root


@pytest.fixture(scope="module")
def settings(install) -> Settings:
    return Settings(paths=Paths(inbox=install / "inbox", warehouse=install / "warehouse", catalog=REPO / "catalog"))


@pytest.fixture(scope="module")
def defs(settings):
    return build_definitions(settings)


def _run(defs, settings: Settings, force: bool = False) -> tuple[dg.ExecuteInProcessResult, float]:
    job = defs.resolve_job_def("nightly")
    started = time.monotonic()
    # --force is run config, as `planwatch build --force` passes it
    config = run_config(settings.with_(force_rebuild=force), quiet=True)
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), run_config=config, raise_on_error=False)
    return result, time.monotonic() - started


def _materialized(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def _landing_metadata(result, table: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == f"landing/{table}":
            return {k: v.value for k, v in event.materialization.metadata.items()}
    raise AssertionError(f"landing/{table} not materialized")


def _marts_rows(path: Path, schemas: tuple[str, ...] = ("marts",)) -> dict[str, list]:
    """Every row of every table of `schemas` but the build's own (meta_build, pw_build)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            f"({', '.join(repr(s) for s in schemas)}) and table_name not in ('meta_build', 'pw_build')"
        ).fetchall()
        return {
            f"{schema}.{t}": sorted(map(repr, connection.execute(f'select * from {schema}."{t}"').fetchall()))
            for schema, t in tables
        }
    finally:
        connection.close()


def test_first_run_lands_builds_and_publishes(install, defs, settings):
    result, seconds = _run(defs, settings)
    assert result.success
    materialized = _materialized(result)
    assert "published_warehouse" in materialized and "marts/fct_indicator_progress" in materialized
    bulletins = _landing_metadata(result, "bulletin_figures")
    assert bulletins["quarantined"] == 1 and "unreadable.docx" in bulletins["quarantined_files"]
    plans = _landing_metadata(result, "plan_targets")
    assert plans["parsed_now"] == 1
    checks = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks["catalog_drift_check"] and checks["plan_target_counts_check"]
    assert checks["assert_every_actual_has_a_source"] and checks["assert_one_current_actual_per_indicator_year"]
    assert checks["assert_bulletins_fresh"] is False  # no bulletin in the default inbox: a warning, not a failure
    # the fingerprint and the run id reached meta_build as the landed run context (no --vars, no environment)
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    connection = duckdb.connect(str(served), read_only=True)
    try:
        run_id, fingerprint = connection.execute("select run_id, build_fingerprint from marts.meta_build").fetchone()
    finally:
        connection.close()
    assert run_id == result.run_id and len(fingerprint) == 64
    print(f"\nfirst run: {seconds:.1f}s")


def test_unchanged_rerun_publishes_nothing_and_does_less(install, defs, settings):
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    result, seconds = _run(defs, settings)
    assert result.success
    assert "published_warehouse" not in _materialized(result)
    assert not [k for k in _materialized(result) if k.startswith(("marts/", "staging/"))]  # dbt did not run
    assert _landing_metadata(result, "plan_targets")["parsed_now"] == 0
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before
    print(f"\nno-change rerun: {seconds:.1f}s")


def test_forced_rebuild_publishes_the_same_rows(install, defs, settings):
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    rows_before = _marts_rows(served)
    result, seconds = _run(defs, settings, force=True)
    assert result.success and "published_warehouse" in _materialized(result)
    assert _marts_rows(served) == rows_before
    print(f"\nforced rebuild: {seconds:.1f}s")


def _schemas(path: Path) -> set[str]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        found = connection.execute("select distinct schema_name from duckdb_tables() union "
                                   "select distinct schema_name from duckdb_views() where not internal").fetchall()
        return {schema for (schema,) in found}
    finally:
        connection.close()


def _comments(path: Path) -> dict[str, str]:
    """Every table and column comment of the file (persist_docs: what statisticians read in duckdb_columns())."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        rows = connection.execute(
            "select schema_name || '.' || table_name, coalesce(comment, '') from duckdb_tables() union all "
            "select schema_name || '.' || table_name || '.' || column_name, coalesce(comment, '') "
            "from duckdb_columns() where not internal"
        ).fetchall()
        return dict(rows)
    finally:
        connection.close()


def test_a_new_bulletin_rebuilds_only_what_depends_on_it_and_equals_a_full_build(install, defs, settings):
    """One new bulletin: dbt rebuilds the models downstream of the bulletin figures and keeps the others (the
    build file is kept from run to run); what is published is row for row what a full rebuild publishes, and
    only the contract schemas are served."""
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    manifest = install / "warehouse" / "dbt_target" / "manifest.json"
    full_builds_manifest = manifest.stat().st_mtime_ns
    shutil.copy(REPO / "tests" / "fixtures" / "e2e" / "2024年黔江区国民经济和社会发展统计公报.txt",
                install / "inbox" / "bulletins")
    result, seconds = _run(defs, settings)
    # dbt's JSON artifacts are the last full build's (orchestration/assets_dbt.py INCREMENTAL_ARTIFACTS)
    assert manifest.stat().st_mtime_ns == full_builds_manifest
    assert result.success and "published_warehouse" in _materialized(result)
    rebuilt = _materialized(result)
    assert {"marts/fct_bulletin_figure", "marts/fct_indicator_actual", "marts/meta_build"} <= rebuilt
    # the catalog, the plans and the seeds did not change: their models were kept as built
    assert not rebuilt & {"marts/dim_theme", "marts/dim_plan", "reference/status_codes", "staging/stg_plan__plans"}
    incremental = _marts_rows(served, ("marts", "presentation", "reference"))
    assert any("2024" in row for row in incremental["marts.fct_bulletin_figure"])
    # comments are written only where missing (macros/persist_docs.sql): the kept incremental tables still carry
    # theirs, the same as a full build writes
    comments = _comments(served)
    assert comments["marts.fct_bulletin_figure.region_code"].startswith("行政区划代码")
    assert all(comments.values()), [name for name, text in comments.items() if not text]

    full, _ = _run(defs, settings, force=True)
    assert full.success and "marts/dim_theme" in _materialized(full)
    assert manifest.stat().st_mtime_ns != full_builds_manifest
    assert _marts_rows(served, ("marts", "presentation", "reference")) == incremental
    assert _comments(served) == comments
    assert _schemas(served) == {"marts", "presentation", "reference"}
    assert _schemas(install / "warehouse" / "build" / "planwatch.duckdb") == {"marts", "presentation", "reference"}
    assert _schemas(install / "warehouse" / "build" / "working.duckdb") == {"intermediate", "staging"}
    print(f"\none-new-bulletin rerun: {seconds:.1f}s")


def test_lineage_matches_what_each_landing_step_wrote(install, defs, settings):
    """Every compacted landing file a kind's step wrote (landing/<table>/<kind>-b<NN>.parquet) is an asset of that
    step in the Definitions' graph; landing/rejections is written in parts by the kind steps, not by the manifest
    step."""
    graph = defs.resolve_asset_graph()
    owner = {key.to_user_string(): graph.get(key).assets_def.node_def.name for key in graph.materializable_asset_keys}
    landing = install / "warehouse" / "landing"
    written = sorted(landing.glob("*/*-b[0-9][0-9].parquet"))
    assert written  # the first run landed files
    for path in written:
        table, kind = path.parent.name, path.name.split("-b")[0]
        key = f"landing/rejections/{kind}" if table == "rejections" else f"landing/{table}"
        assert owner.get(key) == f"land_{kind}", (path, owner.get(key))
    assert owner["landing/input_files"] == "land_manifest"
    assert "landing/rejections" not in owner
    stg = graph.get(dg.AssetKey(["staging", "stg_ingest__rejections"]))
    assert {k.to_user_string() for k in stg.parent_keys} == {
        "landing/rejections/plans",
        "landing/rejections/bulletins",
        "landing/rejections/published",
        "landing/rejections/submissions",
    }


def test_changed_figures_replace_only_their_regions_rows_and_equal_a_full_build(install, defs, settings):
    """A night with a new published-figures file of one peer region (彭水, 500240) and the 2024 bulletin of 黔江
    (500114) taken out again: the per-region models replace the rows of those two regions only (the run's scope,
    landed for dbt), the bulletin's figures are gone, the new figure is in, and what is published equals a full
    rebuild row for row."""
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    (install / "inbox" / "bulletins" / "2024年黔江区国民经济和社会发展统计公报.txt").unlink()
    (install / "inbox" / "published" / "pengshui_2025_gdp.csv").write_text(
        "region_code,year,indicator_zh,value,unit,value_kind,note,source_kind,source_url,source_place\n"
        "500240,2025,地区生产总值,3456789,万元,reported,测试数据,bulletin,https://example.test/2026/ps.html,一、综合\n",
        encoding="utf-8",
    )
    result, _ = _run(defs, settings)
    assert result.success and "published_warehouse" in _materialized(result)
    scope_file = install / "warehouse" / "landing" / "_run" / "changed_regions.parquet"
    scope = duckdb.sql(f"select region_code from read_parquet('{scope_file}') order by 1").fetchall()
    assert scope == [("500114",), ("500240",)]
    incremental = _marts_rows(served, ("marts", "presentation", "reference"))
    assert not any("2024" in row for row in incremental["marts.fct_bulletin_figure"])
    connection = duckdb.connect(str(served), read_only=True)
    try:
        value = connection.execute(
            "select value from marts.fct_region_metric_year where region_code = '500240' and metric_key = 'gdp' "
            "and year = 2025"
        ).fetchone()
    finally:
        connection.close()
    assert value is not None and abs(value[0] - 345.6789) < 1e-9  # 万元 → 亿元, the metric's unit

    full, _ = _run(defs, settings, force=True)
    assert full.success
    assert _marts_rows(served, ("marts", "presentation", "reference")) == incremental
