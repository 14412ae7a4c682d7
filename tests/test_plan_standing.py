"""Which plan the dashboards open on follows the as-of date (dbt var as_of_date, by default the build date): the
real dbt models re-run on a copy of the session's kept build file with another date (never on the served file)."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_build

pytestmark = pytest.mark.slow

MODELS = ("stg_plan__plans", "stg_catalog__regions", "dim_plan", "pw_completion", "pw_indicator_status",
          "pw_indicator_info")


def _as_of(built_repo: Path, tmp_path: Path, date: str) -> duckdb.DuckDBPyConnection:
    build = copy_build(built_repo, tmp_path / f"as_of_{date}")  # the kept build files
    dbt = Path(sys.executable).with_name("dbt")
    dbt_vars = {"as_of_date": date, **build}
    result = subprocess.run(
        [str(dbt), "run", "--profiles-dir", ".", "--target-path", str(tmp_path / f"target_{date}"),
         "--select", *MODELS, "--vars", json.dumps(dbt_vars)],
        cwd=built_repo / "dbt_project", capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return duckdb.connect(build["build_db"], read_only=True)


def test_mid_2025_the_14th_plan_is_in_force_and_only_the_13th_is_finished(built_repo, tmp_path):
    con = _as_of(built_repo, tmp_path, "2025-06-30")
    try:
        plans = con.execute("select plan_id, is_in_force, is_finished, is_current from marts.dim_plan "
                            "where plan_id in ('qianjiang-13th', 'qianjiang-14th') order by plan_id").fetchall()
        assert plans == [("qianjiang-13th", False, True, False), ("qianjiang-14th", True, False, True)]
        completion = con.execute("select plan_id, count(*) from presentation.pw_completion group by 1").fetchall()
        assert completion == [("qianjiang-13th", 36)]
        current = con.execute("select distinct plan_id from presentation.pw_indicator_status where is_current "
                              "and plan_id like 'qianjiang-%'")
        assert current.fetchall() == [("qianjiang-14th",)]
    finally:
        con.close()


def test_mid_2020_the_13th_plan_is_current_and_no_plan_is_finished(built_repo, tmp_path):
    """In 2020 the 13th plan is in its last year: in force and current; the 14th has not started; the completion
    dashboard has no finished plan to show yet."""
    con = _as_of(built_repo, tmp_path, "2020-06-30")
    try:
        plans = con.execute("select plan_id, is_in_force, is_finished, is_current from marts.dim_plan "
                            "where plan_id in ('qianjiang-13th', 'qianjiang-14th') order by plan_id").fetchall()
        assert plans == [("qianjiang-13th", True, False, True), ("qianjiang-14th", False, False, False)]
        assert con.execute("select count(*) from presentation.pw_completion").fetchone()[0] == 0
        # (a later plan of the same region, e.g. the 15th, has not started either: it is neither in force nor current)
    finally:
        con.close()
