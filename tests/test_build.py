"""`planwatch build` end to end, from a fresh copy of the repository (see conftest.built_repo)."""

import hashlib
import shutil

import duckdb
import pytest

from tests.conftest import copy_repo, pipeline_env, run_planwatch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def marts(served_warehouse):
    connection = duckdb.connect(str(served_warehouse), read_only=True)
    yield connection
    connection.close()


def test_dim_indicator_holds_both_plans_and_narrative_targets(marts):
    counts = dict(
        marts.execute(
            "select plan_id || ' ' || target_kind, count(*) from marts.dim_indicator group by 1 order by 1"
        ).fetchall()
    )
    assert counts["qianjiang-13th table"] == 36
    assert counts["qianjiang-14th table"] == 27
    assert counts["qianjiang-14th narrative"] >= 40


def test_dim_indicator_takes_the_catalog_decisions(marts):
    rows = {
        r[0]: r[1:]
        for r in marts.execute(
            "select indicator_id, theme_code, target_aggregation, target_comparator, direction, attribute_zh "
            "from marts.dim_indicator"
        ).fetchall()
    }
    assert rows["qianjiang-14th-01"] == ("hqd", "average", "ge", 1, "预期性")
    assert rows["qianjiang-14th-08"] == ("hqd", "cumulative", "ge", 1, "预期性")  # 新增: summed over the plan
    assert rows["qianjiang-14th-17"] == ("hql", "final_year", "lt", -1, "预期性")
    assert rows["qianjiang-14th-27"] == ("safe", "final_year", "le", -1, "约束性")
    assert rows["qianjiang-13th-32"] == ("safe", "final_year", "le", -1, "约束性")
    assert rows["qianjiang-13th-10"][2] == "structure"


def test_dim_plan_and_dim_theme(marts):
    assert marts.execute(
        "select plan_id, base_year, target_year, region_code from marts.dim_plan order by 1"
    ).fetchall() == [
        ("qianjiang-13th", 2015, 2020, "500114"),
        ("qianjiang-14th", 2020, 2025, "500114"),
    ]
    assert marts.execute("select theme_code, theme_zh from marts.dim_theme order by sort_order").fetchall() == [
        ("hqd", "高质量发展"),
        ("hql", "高品质生活"),
        ("open", "开放"),
        ("eco", "生态"),
        ("safe", "安全"),
    ]


def test_theme_counts_of_the_14th_plan(marts):
    counts = dict(
        marts.execute(
            "select theme_code, count(*) from marts.dim_indicator "
            "where plan_id = 'qianjiang-14th' and target_kind = 'table' group by 1"
        ).fetchall()
    )
    assert counts == {"hqd": 10, "hql": 7, "open": 3, "eco": 5, "safe": 2}


def test_a_failing_build_leaves_the_served_warehouse_unchanged(built_repo, tmp_path):
    broken = copy_repo(tmp_path / "repo")
    shutil.copytree(built_repo / "warehouse" / "serving", broken / "warehouse" / "serving")
    served = broken / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    catalog = broken / "catalog" / "indicators.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("theme: eco", "theme: ecology", 1), encoding="utf-8")
    result = run_planwatch(broken, "build", "--quiet", env=pipeline_env(broken))
    assert result.returncode == 1
    assert "FAILED" in result.stderr and "served warehouse is unchanged" in result.stderr
    assert "ecology" in result.stderr  # the error names what is wrong
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before
    duckdb.connect(str(served), read_only=True).close()  # and it still opens


def test_a_failing_dbt_test_stops_the_publish_and_a_warning_does_not(built_repo, tmp_path):
    """The build's checks are dbt's tests: one with severity error stops the run before publishing and names
    itself; the same test with severity warn is reported and the build is published."""
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(built_repo / "warehouse", repo / "warehouse", dirs_exist_ok=True)
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    test = repo / "dbt_project" / "tests" / "assert_no_plan_of_qianjiang.sql"
    body = "select plan_id from {{ ref('dim_plan') }} where plan_id like 'qianjiang-%'\n"
    test.write_text('{{ config(meta={"dagster": {"ref": {"name": "dim_plan"}}}) }}\n' + body, encoding="utf-8")
    failed = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert failed.returncode == 1, failed.stderr[-3000:]
    assert "check failed: marts/dim_plan assert_no_plan_of_qianjiang" in failed.stderr
    assert "served warehouse is unchanged" in failed.stderr
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before

    test.write_text('{{ config(severity="warn", meta={"dagster": {"ref": {"name": "dim_plan"}}}) }}\n' + body)
    warned = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert warned.returncode == 0, warned.stderr[-3000:]
    assert "warning: marts/dim_plan assert_no_plan_of_qianjiang" in warned.stderr
    assert "warning: marts/meta_build assert_bulletins_fresh: Warning only" in warned.stderr  # with what to do
    assert "published" in warned.stderr
    assert hashlib.sha256(served.read_bytes()).hexdigest() != before


def test_a_model_that_does_not_build_is_named_with_dbt_s_error(built_repo, tmp_path):
    """dbt runs in the build's dbt process (orchestration/dbt_worker.py): a model whose SQL DuckDB rejects
    fails the run with dbt's own error line, which names the model and the column; nothing is published, and
    the next build after the fix publishes again."""
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(built_repo / "warehouse", repo / "warehouse", dirs_exist_ok=True)
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    model = repo / "dbt_project" / "models" / "presentation" / "pw_headline.sql"
    original = model.read_text(encoding="utf-8")
    model.write_text(original.replace("k.sort_order\n", "k.sort_order,\n        k.no_such_column\n", 1))
    failed = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert failed.returncode == 1, failed.stderr[-3000:]
    assert "step failed: planwatch_dbt_models:" in failed.stderr and "`dbt build` failed" in failed.stderr
    assert "pw_headline" in failed.stderr and "no_such_column" in failed.stderr
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before

    model.write_text(original, encoding="utf-8")
    fixed = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert hashlib.sha256(served.read_bytes()).hexdigest() != before


def test_not_null_is_enforced_by_the_tables_of_the_contract(built_repo, tmp_path):
    """The contracted models' not_null rules are DuckDB NOT NULL constraints (not a test run after the build): a
    null cannot be written, so the model — and with it the run — fails before anything is published."""
    database = tmp_path / "constraints.duckdb"
    shutil.copy(built_repo / "warehouse" / "build" / "planwatch.duckdb", database)
    connection = duckdb.connect(str(database))
    try:
        enforced = connection.execute(
            "select count(*) from duckdb_constraints() where constraint_type = 'NOT NULL' "
            "and schema_name in ('marts', 'presentation')"
        ).fetchone()[0]
        assert enforced >= 170
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            connection.execute("insert into marts.fct_indicator_actual (indicator_id) values (null)")
    finally:
        connection.close()
