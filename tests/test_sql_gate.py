"""The one SQL gate (superset_config/sql_gate.py) and the locked DuckDB connection, on a real DuckDB file and
through `planwatch sql`: every attack class is refused with a message naming what was refused, and nothing is
written anywhere."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from superset_config import sql_gate
from superset_config.sql_gate import CONNECTION_CONFIG, SqlRefused, check
from tests.conftest import REPO, pipeline_env, run_planwatch

# attack class -> (statement, words the refusal must contain)
ATTACKS = {
    "copy_to": ("COPY (SELECT 1 AS a) TO '{out}/copy.csv'", "COPY statements are not allowed"),
    "attach_read_write": ("ATTACH '{out}/attached.duckdb' AS x (READ_WRITE)", "ATTACH statements are not allowed"),
    "attach_memory": ("ATTACH ':memory:' AS m", "ATTACH statements are not allowed"),
    "export_database": ("EXPORT DATABASE '{out}/export'", "EXPORT statements are not allowed"),
    "temp_macro": ("CREATE TEMP MACRO r(p) AS TABLE SELECT * FROM read_blob(p)", "CREATE statements are not allowed"),
    "read_blob_via_query": ("SELECT * FROM query('SELECT content FROM read_blob(''{served}'')')",
                            "table function query() is not allowed"),
    "query_table": ("SELECT * FROM query_table('marts.dim_plan')", "table function query_table() is not allowed"),
    "read_blob": ("SELECT content FROM read_blob('{served}')", "table function read_blob() is not allowed"),
    "reader_in_subquery": ("SELECT * FROM marts.dim_plan WHERE plan_id IN (SELECT * FROM read_csv('/etc/passwd'))",
                           "table function read_csv() is not allowed"),
    "replacement_scan": ("SELECT * FROM '/etc/passwd'", "reading '/etc/passwd' is not allowed"),
    "checkpoint": ("CHECKPOINT", "CALL statements are not allowed"),
    "vacuum": ("VACUUM", "VACUUM statements are not allowed"),
    "pragma_database_list": ("PRAGMA database_list", "PRAGMA statements are not allowed"),
    "duckdb_settings": ("SELECT name, value FROM duckdb_settings()", "table function duckdb_settings() is not allowed"),
    "duckdb_databases": ("SELECT path FROM duckdb_databases()", "table function duckdb_databases() is not allowed"),
    "current_setting": ("SELECT current_setting('temp_directory')", "function current_setting() is not allowed"),
    "getenv": ("SELECT getenv('HOME')", "function getenv() is not allowed"),
    "set": ("SET memory_limit = '20GB'", "SET statements are not allowed"),
    "two_statements": ("SELECT 1; SELECT 2", "2 statements were sent"),
    "create_table": ("CREATE TABLE marts.x AS SELECT 1 AS a", "CREATE statements are not allowed"),
    "insert": ("INSERT INTO marts.dim_theme VALUES ('x')", "INSERT statements are not allowed"),
    "other_schema": ("SELECT * FROM intermediate.int_anything", "outside the served schemas"),
    "information_schema": ("SELECT * FROM information_schema.tables", "outside the served schemas"),
    "intermediate_schema": ("SELECT * FROM planwatch.intermediate.int_indicators_resolved",
                            "outside the served schemas"),
    "staging_schema": ("SELECT * FROM staging.stg_ingest__input_files", "outside the served schemas"),
    "system_catalog": ("SELECT * FROM system.main.duckdb_settings()", "is not allowed"),
    "show_tables": ("SHOW TABLES", "SHOW is not allowed"),
    "pivot": ("PIVOT marts.dim_plan ON plan_id", "MULTI statements are not allowed"),
    "install": ("INSTALL httpfs", "statements are not allowed"),
    "load": ("LOAD httpfs", "LOAD statements are not allowed"),
}


def _served_copy(tmp_path: Path) -> Path:
    """A small warehouse of our own: a marts schema with one table."""
    served = tmp_path / "serving" / "planwatch.duckdb"
    served.parent.mkdir(parents=True)
    con = duckdb.connect(str(served))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.dim_plan AS "
                "SELECT 'p' || i AS plan_id, md5(i::varchar) AS m FROM range(1000) t(i)")
    con.close()
    return served


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_gate_refuses_each_attack_class(name, tmp_path):
    statement, words = ATTACKS[name]
    sql = statement.format(out=tmp_path, served=tmp_path / "planwatch.duckdb")
    with pytest.raises(SqlRefused) as refused:
        check(sql)
    message = str(refused.value)
    assert message.startswith("查询被拒绝 (refused)"), message
    assert words in message, message


@pytest.mark.parametrize("sql", [
    "SELECT plan_id, count(*) AS n FROM marts.dim_indicator GROUP BY plan_id ORDER BY plan_id",
    "SELECT * FROM range(50000) t(i)",
    "WITH x AS (SELECT plan_id FROM marts.dim_plan) SELECT count(*) FROM x",
    "SELECT date_trunc('year', now()), round(1.25, 1), coalesce(NULL, 'a') || 'b', [i * 2 FOR i IN [1, 2]]",
    "SELECT plan_id, row_number() OVER (PARTITION BY plan_id ORDER BY 1) FROM planwatch.marts.dim_plan",
    "DESCRIBE marts.dim_plan",
    "SELECT 1;",
    "SELECT plan_option, count(*) FROM presentation.pw_indicator_status GROUP BY ALL",
    "SELECT s.status_zh FROM reference.status_codes AS s JOIN marts.rpt_indicator_status AS r USING (status)",
])
def test_the_gate_lets_analysis_through(sql):
    check(sql)


def test_every_dataset_and_metric_of_the_dashboards_passes_the_gate():
    """The gate must not break the product: each dataset SQL, metric and calculated column of the bundle."""
    checked = 0
    for path in sorted((REPO / "superset_config" / "bundle" / "datasets").rglob("*.yaml")):
        dataset = yaml.safe_load(path.read_text(encoding="utf-8"))
        if dataset.get("sql"):
            check(dataset["sql"])
            checked += 1
        for item in [*dataset.get("metrics", []), *dataset.get("columns", [])]:
            if item.get("expression"):
                check(f"SELECT {item['expression']} FROM marts.x")
                checked += 1
    assert checked >= 11


def test_the_served_schemas_are_the_contract_and_every_dashboard_table_is_in_them():
    assert {"marts", "presentation", "reference"} == sql_gate.SERVED_SCHEMAS
    tables = [yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((REPO / "superset_config" / "bundle" / "datasets").rglob("*.yaml"))]
    for ds in tables:
        check(f'SELECT * FROM {ds["schema"]}.{ds["table_name"]}')
    assert len(tables) >= 14


def test_the_served_file_holds_exactly_the_schemas_the_gate_serves(served_warehouse):
    """Publish copies only the contract schemas (orchestration/publish.py): the served file has no working schema
    to hide, and every table it has passes the gate (refusals of other schemas: the cases above)."""
    con = duckdb.connect(str(served_warehouse), read_only=True)
    try:
        found = con.execute("SELECT DISTINCT table_schema, min(table_name) FROM information_schema.tables "
                            "WHERE table_catalog = 'planwatch' GROUP BY 1").fetchall()
    finally:
        con.close()
    assert {schema for schema, _ in found} == set(sql_gate.SERVED_SCHEMAS)
    for schema, table in found:
        check(f'SELECT * FROM {schema}."{table}"')


def test_the_locked_connection_writes_nothing_even_without_the_gate(tmp_path):
    """Defence in depth: on CONNECTION_CONFIG, DuckDB itself refuses file writes, has no spill directory and no
    way to change its settings; a query that would spill fails and leaves no file."""
    served = _served_copy(tmp_path)
    before = sorted(os.listdir(served.parent))
    con = duckdb.connect(str(served), read_only=True, config=dict(CONNECTION_CONFIG, memory_limit="64MB"))
    try:
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN ('temp_directory', "
                                    "'max_temp_directory_size', 'enable_external_access', 'lock_configuration', "
                                    "'autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
        assert settings == {"temp_directory": "", "max_temp_directory_size": "0 bytes",
                            "enable_external_access": "false", "lock_configuration": "true",
                            "autoload_known_extensions": "false", "autoinstall_known_extensions": "false"}
        for statement in (f"COPY (SELECT 1) TO '{served.parent}/copy.csv'",
                          f"ATTACH '{served.parent}/other.duckdb' AS o (READ_WRITE)",
                          f"EXPORT DATABASE '{served.parent}/export'",
                          "SET temp_directory = '/tmp'"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
        with pytest.raises(duckdb.OutOfMemoryException):  # would spill: fails instead of writing <file>.tmp
            con.execute("SELECT count(*) FROM (SELECT i, md5(i::varchar) AS m FROM range(5000000) t(i) "
                        "ORDER BY m)").fetchall()
    finally:
        con.close()
    assert sorted(os.listdir(served.parent)) == before
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob("copy.csv"))


def test_the_gate_costs_about_a_millisecond():
    sql = "SELECT plan_id, count(*) AS n FROM marts.dim_indicator GROUP BY plan_id ORDER BY plan_id"
    sql_gate.check(sql)  # the parser connection is created once
    costs = sorted(sql_gate.check_timed(sql) for _ in range(50))
    assert costs[25] < 20, costs  # median well under the 20 ms budget (about 0.5 ms measured on 2 cores)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["copy_to", "attach_read_write", "export_database", "temp_macro",
                                  "read_blob_via_query", "checkpoint", "vacuum", "pragma_database_list",
                                  "duckdb_settings", "current_setting"])
def test_planwatch_sql_goes_through_the_gate(built_repo, name, tmp_path):
    served = built_repo / "warehouse" / "serving" / "planwatch.duckdb"
    before = sorted(os.listdir(served.parent))
    statement, words = ATTACKS[name]
    result = run_planwatch(built_repo, "sql", statement.format(out=served.parent, served=served),
                           env=pipeline_env(built_repo))
    assert result.returncode == 1, result.stdout
    assert "error: 查询被拒绝 (refused)" in result.stderr and words in result.stderr, result.stderr
    assert sorted(os.listdir(served.parent)) == before


@pytest.mark.slow
def test_planwatch_sql_still_answers(built_repo):
    result = run_planwatch(built_repo, "sql", "--csv", "SELECT count(*) AS n FROM marts.dim_plan",
                           env=pipeline_env(built_repo))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "2"]


def test_demo_users_are_off_unless_asked_for(monkeypatch):
    """`make up` no longer creates demo users: the Makefile defaults PLANWATCH_LOCAL_DEMO to 0."""
    from superset_config import launcher

    class Args:
        demo = False

    monkeypatch.delenv("PLANWATCH_LOCAL_DEMO", raising=False)
    assert not launcher.demo_requested(Args())
    monkeypatch.setenv("PLANWATCH_LOCAL_DEMO", "0")
    assert not launcher.demo_requested(Args())
    Args.demo = True
    assert launcher.demo_requested(Args())
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "export PLANWATCH_LOCAL_DEMO ?= 0" in makefile


def test_gate_module_needs_only_the_standard_library_and_duckdb():
    """Importable from both venvs: nothing but the standard library and duckdb."""
    source = (REPO / "superset_config" / "sql_gate.py").read_text(encoding="utf-8")
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from ")) and not line.startswith("from __future__")}
    assert imported <= set(sys.stdlib_module_names) | {"duckdb"}, imported
