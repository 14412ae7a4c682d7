"""The Dagster definitions: assets, checks, job, schedule and the inbox sensor (Dagster's own APIs, no mocks)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.instance import PID_TAG, run_tags, write_instance_config
from orchestration.jobs import inbox_sensor
from orchestration.resources import WRITER_POOL, WarehouseResource

REPO = Path(__file__).resolve().parents[2]
defs = load_defs()  # what Dagster's tools load (lazily, from the environment's settings)


def test_definitions_load_with_every_asset_and_check():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for table in (
        "plans",
        "plan_targets",
        "plan_review_figures",
        "bulletin_figures",
        "submission_values",
        "published_figures",
        "catalog_indicators",
        "input_files",
        "rejections/bulletins",
        "rejections/submissions",
        "rejections/published",
    ):
        assert f"landing/{table}" in keys
    for model in (
        "marts/dim_indicator",
        "marts/fct_indicator_actual",
        "marts/fct_indicator_progress",
        "marts/fct_theme_scorecard",
        "marts/rpt_plan_completion",
        "staging/stg_plan__targets",
        "intermediate/int_indicator_progress_computed",
    ):
        assert model in keys
    assert "published_warehouse" in keys
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert ("landing/plan_targets", "catalog_drift_check") in checks
    assert ("landing/plan_targets", "plan_target_counts_check") in checks
    for asset, name in (
        ("marts/fct_indicator_actual", "assert_every_actual_has_a_source"),
        ("marts/fct_bulletin_figure", "assert_every_bulletin_figure_has_a_source"),
        ("marts/fct_indicator_actual", "assert_one_current_actual_per_indicator_year"),
        ("marts/fct_theme_scorecard", "assert_scorecard_counts_add_up"),
        ("marts/dim_plan", "assert_both_plans_present"),
        ("marts/meta_build", "assert_bulletins_fresh"),
    ):
        assert (asset, name) in checks
    assert not [c for c in checks if c[0] == "published_warehouse"]  # no second copy of dbt's tests
    dbt_checks = [c for c in checks if c[0].startswith("marts/") and c[1].startswith("unique_")]
    assert dbt_checks  # dbt tests surface as asset checks
    assert defs.resolve_job_def("nightly") is not None


def test_writer_steps_share_one_pool():
    graph = defs.resolve_asset_graph()
    pools = {graph.get(key).pools and tuple(graph.get(key).pools) for key in graph.materializable_asset_keys}
    assert pools == {("warehouse_writer",)}


def test_schedule_runs_at_two_in_shanghai():
    schedule = defs.resolve_schedule_def("nightly_0200_shanghai")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "nightly"


@pytest.fixture
def inbox(tmp_path) -> Path:
    for kind in ("plans", "bulletins", "submissions", "published"):
        (tmp_path / "inbox" / kind).mkdir(parents=True)
    shutil.copy(REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt", tmp_path / "inbox" / "plans")
    return tmp_path / "inbox"


def _evaluate(inbox: Path, cursor: str | None):
    warehouse = WarehouseResource(inbox=str(inbox), warehouse=str(inbox.parent / "warehouse"))
    context = dg.build_sensor_context(
        cursor=cursor, resources={"warehouse": warehouse}, instance=dg.DagsterInstance.ephemeral()
    )
    result = inbox_sensor(context)
    return result, context.cursor


def test_sensor_triggers_on_new_and_changed_files_and_not_otherwise(inbox):
    first, cursor = _evaluate(inbox, None)
    assert isinstance(first, dg.RunRequest)
    unchanged, same_cursor = _evaluate(inbox, cursor)
    assert isinstance(unchanged, dg.SkipReason) and same_cursor == cursor

    bulletin = inbox / "bulletins" / "2024年公报.txt"
    bulletin.write_text("2024年黔江区国民经济和社会发展统计公报\n", encoding="utf-8")
    new_file, cursor_after_new = _evaluate(inbox, cursor)
    assert isinstance(new_file, dg.RunRequest) and cursor_after_new != cursor

    bulletin.write_text("2024年黔江区国民经济和社会发展统计公报\n全年地区生产总值400亿元。\n", encoding="utf-8")
    changed, cursor_after_change = _evaluate(inbox, cursor_after_new)
    assert isinstance(changed, dg.RunRequest) and cursor_after_change != cursor_after_new

    again, _ = _evaluate(inbox, cursor_after_change)
    assert isinstance(again, dg.SkipReason)

    bulletin.touch()  # a new modification time, same content: no run
    touched, _ = _evaluate(inbox, cursor_after_change)
    assert isinstance(touched, dg.SkipReason)


def test_importing_the_definitions_has_no_side_effects(tmp_path):
    """A fresh process imports orchestration.definitions: no dbt parse (no manifest written), no environment
    variable set; the definitions are built only when asked for (`defs()`, or by Dagster's tools)."""
    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path / "repo")
    code = (
        "import os, sys; before = dict(os.environ); import orchestration.definitions as d; "
        "assert dict(os.environ) == before, 'environment changed'; "
        "assert callable(d.defs) and 'dagster_dbt' not in str(type(d.defs)); print('ok')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DAGSTER_"))}
    env["PYTHONPATH"] = str(repo)
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
    assert not (repo / "dbt_project" / "target").exists()  # nothing parsed, nothing written


def test_sensor_ignores_what_landing_does_not_read(inbox, tmp_path):
    """Hidden names, READMEs, folders and links leaving the inbox are not inputs (ingest.landing.inbox_files): adding
    them starts no run, and the sensor never reads a file outside the inbox."""
    _, cursor = _evaluate(inbox, None)
    outside = tmp_path / "outside.txt"
    outside.write_text("2024年黔江区国民经济和社会发展统计公报\n", encoding="utf-8")
    (inbox / "bulletins" / "link.txt").symlink_to(outside)
    (inbox / "bulletins" / ".hidden.txt").write_text("x", encoding="utf-8")
    (inbox / "bulletins" / "README.md").write_text("notes", encoding="utf-8")
    (inbox / "bulletins" / "a folder").mkdir()
    result, same = _evaluate(inbox, cursor)
    assert isinstance(result, dg.SkipReason) and same == cursor


def test_sensor_frees_the_writer_slot_of_a_killed_build(inbox, tmp_path):
    """The daemon evaluates the sensor every minute: a `planwatch build` killed on this machine is marked failed
    there, so the nightly run does not wait for its writer slot forever."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with dg.DagsterInstance.from_config(str(write_instance_config(tmp_path / "dagster"))) as instance:
        instance.event_log_storage.set_concurrency_slots(WRITER_POOL, 1)
        job = dg.Definitions(assets=[dg.AssetSpec("a")]).resolve_implicit_global_asset_job_def()
        tags = {**run_tags(), PID_TAG: str(dead.pid)}
        killed = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED, tags=tags)
        instance.event_log_storage.claim_concurrency_slot(WRITER_POOL, killed.run_id, "planwatch_dbt_models")
        warehouse = WarehouseResource(inbox=str(inbox), warehouse=str(inbox.parent / "warehouse"))
        context = dg.build_sensor_context(instance=instance, resources={"warehouse": warehouse})
        assert isinstance(inbox_sensor(context), dg.RunRequest)
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots == []
