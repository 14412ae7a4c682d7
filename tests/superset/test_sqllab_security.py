"""SQL Lab for statisticians, read-only and sealed off from the machine; nothing of it for leaders or
anonymous visitors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import requests
from superset_helpers import DEMO_PASSWORD, SupersetServer

pytestmark = pytest.mark.slow

FORBIDDEN = {
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_csv_auto": "SELECT * FROM read_csv_auto('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/passwd')",
    "replacement_scan": "SELECT * FROM '/etc/passwd'",
    "glob": "SELECT * FROM glob('/etc/*')",
    "attach": "ATTACH '/tmp/planwatch_sqllab_attach.duckdb' AS x",
    "copy_to": "COPY (SELECT 1 AS a) TO '/tmp/planwatch_sqllab_copy.csv'",
    "export": "EXPORT DATABASE '/tmp/planwatch_sqllab_export'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set_external": "SET enable_external_access = true",
    "set_memory": "SET memory_limit = '20GB'",
    "create": "CREATE TABLE marts.planwatch_sqllab_probe AS SELECT 1 AS a",
    "create_temp": "CREATE TEMP TABLE planwatch_sqllab_probe AS SELECT 1 AS a",
    "insert": "INSERT INTO marts.dim_theme (theme_code, theme_zh, sort_order) VALUES ('x', 'x', 99)",
    "update": "UPDATE marts.dim_theme SET theme_zh = 'x'",
    "delete": "DELETE FROM marts.dim_theme",
    "drop": "DROP TABLE marts.dim_theme",
    "detach": "DETACH planwatch",
    # issue 12: what got through the function-name deny-list, now refused by the statement allow-list (sql_gate)
    "attach_memory_read_write": "ATTACH ':memory:' AS m (READ_WRITE)",
    "temp_macro": "CREATE TEMP MACRO r(p) AS TABLE SELECT * FROM read_blob(p)",
    "read_blob_via_query": "SELECT * FROM query('SELECT content FROM read_blob(''/etc/passwd'')')",
    "query_table": "SELECT * FROM query_table('marts.dim_theme')",
    "checkpoint": "CHECKPOINT",
    "vacuum": "VACUUM",
    "duckdb_settings": "SELECT name, value FROM duckdb_settings()",
    "pragma_database_list": "PRAGMA database_list",
    "current_setting": "SELECT current_setting('temp_directory') AS t",
    "duckdb_databases": "SELECT path FROM duckdb_databases()",
    "other_schema": "SELECT * FROM information_schema.tables",
    "two_statements": "SELECT 1 AS a; COPY (SELECT 1) TO '/tmp/planwatch_sqllab_copy.csv'",
}
WRITTEN_PATHS = ["/tmp/planwatch_sqllab_attach.duckdb", "/tmp/planwatch_sqllab_copy.csv",
                 "/tmp/planwatch_sqllab_export"]


def execute(server: SupersetServer, s: requests.Session, sql: str) -> requests.Response:
    return s.post(f"{server.base}/api/v1/sqllab/execute/", timeout=60,
                  json={"database_id": server.database_id(s), "sql": sql, "schema": "marts", "runAsync": False})


@pytest.fixture(scope="module")
def statistician(superset_server: SupersetServer) -> requests.Session:
    return superset_server.session("statistician", DEMO_PASSWORD)


def test_statistician_selects_on_the_marts(superset_server: SupersetServer, statistician):
    r = execute(superset_server, statistician,
                "SELECT plan_id, count(*) AS n FROM marts.dim_indicator GROUP BY plan_id ORDER BY plan_id")
    assert r.status_code == 200, r.text[:500]
    got = {row["plan_id"]: row["n"] for row in r.json()["data"]}
    con = duckdb.connect(str(superset_server.warehouse_db), read_only=True)
    try:
        expected = dict(con.execute("SELECT plan_id, count(*) FROM marts.dim_indicator GROUP BY 1").fetchall())
    finally:
        con.close()
    assert got == expected
    assert {"qianjiang-13th", "qianjiang-14th"} <= set(got)


def test_sqllab_row_limit(superset_server: SupersetServer, statistician):
    r = execute(superset_server, statistician, "SELECT * FROM range(50000) t(i)")
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["data"]) <= 10000


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_statistician_cannot_escape_or_write(superset_server: SupersetServer, statistician, name):
    served_dir = superset_server.warehouse_db.parent
    before = sorted(p.name for p in served_dir.iterdir())
    r = execute(superset_server, statistician, FORBIDDEN[name])
    assert r.status_code == 403, f"{name} was not refused: {r.status_code} {r.text[:300]}"
    message = r.json()["errors"][0]["message"]
    assert message.startswith("查询被拒绝 (refused)"), message  # the gate's refusal, shown in SQL Lab
    for path in WRITTEN_PATHS:
        assert not Path(path).exists(), f"{name}: {path} was written"
    assert sorted(p.name for p in served_dir.iterdir()) == before, f"{name} left a file beside the warehouse"


def test_settings_paths_and_user_do_not_leak(superset_server: SupersetServer, statistician):
    """duckdb_settings(), PRAGMA database_list and current_setting() showed server paths and the server's user."""
    for sql in ("SELECT name, value FROM duckdb_settings()", "PRAGMA database_list",
                "SELECT current_setting('home_directory') AS h", "SELECT * FROM duckdb_databases()"):
        r = execute(superset_server, statistician, sql)
        assert r.status_code == 403, f"{sql}: {r.status_code} {r.text[:300]}"
        assert str(superset_server.warehouse_db.parent) not in r.text


def test_the_warehouse_is_unchanged_after_the_attempts(superset_server: SupersetServer):
    con = duckdb.connect(str(superset_server.warehouse_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.dim_theme").fetchone()[0] == 5
        assert not con.execute("SELECT count(*) FROM information_schema.tables "
                               "WHERE table_name = 'planwatch_sqllab_probe'").fetchone()[0]
    finally:
        con.close()


def test_leader_cannot_reach_sqllab(superset_server: SupersetServer):
    leader = superset_server.session("leader", DEMO_PASSWORD)
    r = leader.post(f"{superset_server.base}/api/v1/sqllab/execute/", timeout=30,
                    json={"database_id": 1, "sql": "SELECT 1", "schema": "marts", "runAsync": False})
    assert r.status_code in (401, 403), r.text[:300]
    r = leader.get(f"{superset_server.base}/sqllab/", timeout=30, allow_redirects=False)
    assert r.status_code in (302, 403), r.status_code
    r = leader.get(f"{superset_server.base}/api/v1/me/roles/", timeout=30)
    assert r.status_code == 200
    roles = r.json()["result"]["roles"]
    assert set(roles) == {"Leader"}
    assert not any(perm[0] in ("can_execute_sql_query", "can_sqllab") for perms in roles.values()
                   for perm in perms)


def test_anonymous_gets_only_the_login_page(superset_server: SupersetServer):
    base = superset_server.base
    anon = requests.Session()
    for path in ("/superset/welcome/", "/superset/dashboard/cockpit/", "/sqllab/", "/dashboard/list/"):
        r = anon.get(base + path, timeout=30, allow_redirects=False)
        assert r.status_code in (302, 401, 403), f"{path}: {r.status_code}"
        if r.status_code == 302:
            assert "/login" in r.headers["Location"], r.headers["Location"]
    for path in ("/api/v1/dashboard/", "/api/v1/chart/", "/api/v1/database/", "/api/v1/dataset/"):
        r = anon.get(base + path, timeout=30)
        assert r.status_code == 401, f"{path}: {r.status_code}"
    r = anon.post(f"{base}/api/v1/sqllab/execute/", json={"database_id": 1, "sql": "SELECT 1"}, timeout=30)
    assert r.status_code in (400, 401, 403)
    r = anon.get(f"{base}/login/", timeout=30)
    assert r.status_code == 200
    # the login page is Chinese: the language pack is the one thing the Public role may fetch
    r = anon.get(f"{base}/superset/language_pack/zh/", timeout=30)
    assert r.status_code == 200
    pack = r.json()["locale_data"]["superset"]
    assert pack["Sign in"] == ["登录"]
