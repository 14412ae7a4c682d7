"""Statisticians' commands on the served warehouse: sql (read-only), report completion (Excel), docs."""

import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO, pipeline_env, run_planwatch

pytestmark = pytest.mark.slow


def test_sql_one_query_as_csv(built_repo):
    result = run_planwatch(
        built_repo,
        "sql",
        "--csv",
        "select plan_id, target_year from marts.dim_plan order by 1",
        env=pipeline_env(built_repo),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["plan_id,target_year", "qianjiang-13th,2020", "qianjiang-14th,2025"]


@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "create table marts.x as select 1",
        "attach '/tmp/other.duckdb' as other",
    ],
)
def test_sql_is_read_only_and_has_no_file_access(built_repo, statement):
    result = run_planwatch(built_repo, "sql", statement, env=pipeline_env(built_repo))
    assert result.returncode == 1 and "error:" in result.stderr


def test_completion_report_in_the_plans_format(built_repo, tmp_path):
    path = tmp_path / "完成情况.xlsx"
    result = run_planwatch(
        built_repo, "report", "completion", "qianjiang-13th", "--xlsx", str(path), env=pipeline_env(built_repo)
    )
    assert result.returncode == 0, result.stderr
    assert "25 of 32" in result.stderr
    sheet = load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "黔江区“十三五”规划主要指标完成情况（2020年）"
    assert rows[1] == ["序号", "指标名称", "2020年目标值", "完成值", "指标属性", "完成情况"]
    by_seq = {r[0]: r for r in rows[2:] if isinstance(r[0], int)}
    assert by_seq[1][1:] == ["地区生产总值年均增速（%）", "10", "8.4△", "预期性", "未完成"]
    assert by_seq[25][3] == "【480】" and by_seq[25][5] == "未完成"
    assert ["一", "创新发展", None, None, None, None] in rows  # section rows as the plan prints them
    assert any(r[1] == "#化学需氧量" for r in rows)
    assert any(str(r[0]).startswith("备注") for r in rows if r[0])
    # 未完成 rows are highlighted
    unfinished = [row for row in sheet.iter_rows(min_row=3) if row[5].value == "未完成"]
    assert len(unfinished) == 7 and all(c.fill.fgColor.rgb.endswith("FCE4D6") for c in unfinished[0])


def test_completion_report_of_a_running_plan(built_repo, tmp_path):
    path = tmp_path / "14th.xlsx"
    result = run_planwatch(
        built_repo, "report", "completion", "qianjiang-14th", "--xlsx", str(path), env=pipeline_env(built_repo)
    )
    assert result.returncode == 0, result.stderr
    rows = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
    assert rows[0][0].startswith("黔江区“十四五”规划主要指标完成情况（截至")
    assert rows[1][3] == "最新值" and rows[1][5] == "进度状态"


def test_data_dictionary_is_up_to_date():
    result = subprocess.run(
        [sys.executable, "-m", "planwatch.cli", "docs", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    text = (REPO / "warehouse" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for table in ("dim_indicator", "fct_indicator_progress", "fct_theme_scorecard", "rpt_plan_completion"):
        assert f"## `marts.{table}`" in text
