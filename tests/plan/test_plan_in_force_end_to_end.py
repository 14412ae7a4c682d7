"""Issue 11 end to end: the tests' 黔江区 15th-plan outline (测试数据) as Word and as PDF, dropped into a test
inbox's plans/, lands; a catalog draft is written; the marts hold three plans, the 15th plan's indicators show as
待审核; `planwatch report completion qianjiang-14th` gives the 14th plan's verdicts as of 2025."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from openpyxl import load_workbook

from tests.conftest import copy_repo, pipeline_env, run_planwatch

sys.path.insert(0, str(Path(__file__).parent))
import outline15

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("repo_plan15"))
    plans = repo / "inbox" / "plans"
    outline15.write_docx(plans / "qianjiang_15th_fyp_outline.docx")
    # the same outline as PDF, in a second inbox: the same records (a plan lands once per warehouse)
    outline15.write_pdf(repo / "qianjiang_15th_fyp_outline.pdf")
    result = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert result.returncode == 0, result.stderr[-3000:]
    return repo


def _query(repo: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(repo / "warehouse" / "serving" / "planwatch.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_three_plans_in_the_marts(repo):
    plans = _query(repo, "select plan_id, base_year, target_year from marts.dim_plan order by plan_id")
    assert plans == [("qianjiang-13th", 2015, 2020), ("qianjiang-14th", 2020, 2025), ("qianjiang-15th", 2025, 2030)]


def test_unreviewed_indicators_show_as_pending(repo):
    rows = _query(
        repo,
        "select review_status_zh, count(*) from marts.dim_indicator where target_kind = 'table' "
        "and plan_id = 'qianjiang-15th' group by 1",
    )
    assert rows == [("待审核", 12)]
    reviewed = _query(
        repo,
        "select count(*) from marts.dim_indicator where target_kind = 'table' and review_status = 'reviewed'",
    )
    assert reviewed == [(63,)]
    life = _query(
        repo,
        "select baseline_year, baseline_value, target_value, source_locator from marts.dim_indicator "
        "where indicator_id = 'qianjiang-15th-05'",
    )
    assert life == [(2024, 77.5, 78.5, "qianjiang_15th_fyp_outline.docx:table1row7")]
    relative = _query(
        repo,
        "select distinct method, status from marts.fct_indicator_progress where indicator_id = 'qianjiang-15th-04'",
    )
    assert relative == [("relative", "no_data")]  # 与经济增长基本同步: no 2026 actual yet
    # unreviewed rows take the bulletin metric their name and unit match, as the draft proposes; else submissions
    sources = _query(
        repo,
        "select indicator_id, actual_kind, actual_metric from marts.dim_indicator "
        "where indicator_id in ('qianjiang-15th-01', 'qianjiang-15th-02', 'qianjiang-15th-06') order by 1",
    )
    assert sources == [
        ("qianjiang-15th-01", "metric", "gdp_growth"),
        ("qianjiang-15th-02", "metric", "gdp"),
        ("qianjiang-15th-06", "submission", None),
    ]


def test_catalog_draft_and_check(repo, tmp_path):
    env = pipeline_env(repo)
    out = tmp_path / "draft.yaml"
    pdf = repo / "qianjiang_15th_fyp_outline.pdf"
    result = run_planwatch(repo, "catalog", "draft", str(pdf), "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    entries = yaml.safe_load(out.read_text(encoding="utf-8"))["indicators"]
    assert [e["id"] for e in entries][:2] == ["qianjiang-15th-01", "qianjiang-15th-02"]
    assert all(e["theme"]["status"] == "proposed" for e in entries)
    check = run_planwatch(repo, "catalog", "check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "待审核: qianjiang-15th: 12 table indicators" in check.stdout
    assert "63 reviewed entries, 0 drift" in check.stdout


def test_completion_report_of_the_14th_plan(repo, tmp_path):
    env = pipeline_env(repo)
    for plan_id in ("qianjiang-13th", "qianjiang-14th"):
        path = tmp_path / f"{plan_id}.xlsx"
        result = run_planwatch(repo, "report", "completion", plan_id, "--xlsx", str(path), env=env)
        assert result.returncode == 0, result.stderr
        sheet = load_workbook(path).active
        assert sheet.max_row > 20
    finals = _query(
        repo,
        "select count(*), count(*) filter (where status_zh in ('完成', '未完成')) "
        "from marts.rpt_plan_completion where plan_id = 'qianjiang-14th' and is_final_year",
    )
    assert finals[0][1] > 0
