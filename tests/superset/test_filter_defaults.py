"""The plan selector's starting value, as bootstrap works it out (superset_config/bootstrap_app.py
first_value_sql), run on the session's served warehouse: no Superset needed for the SQL, the real DuckDB file."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[2]


def _bootstrap_app():
    """superset_config/bootstrap_app.py as Superset's venv runs it (a script beside sql_gate.py). Its folder is on
    sys.path only while it is imported: left there, `superset_config` would later resolve to the folder's
    superset_config.py module instead of the package, for every test collected after this one."""
    folders = {str(REPO / "superset_config"), str((REPO / "superset_config").resolve())}
    sys.path.insert(0, str(REPO / "superset_config"))
    try:
        return importlib.import_module("bootstrap_app")
    finally:  # bootstrap_app puts its folder on the path too
        sys.path[:] = [entry for entry in sys.path if entry not in folders]


first_value_sql = _bootstrap_app().first_value_sql


def _plan_filters() -> dict[str, tuple[str, dict, bool]]:
    """{dashboard slug: (dataset table, filter, dataset has is_current)} for every 规划 filter of the bundle."""
    bundle = REPO / "superset_config" / "bundle"
    datasets = {}
    for path in (bundle / "datasets").rglob("*.yaml"):
        ds = yaml.safe_load(path.read_text(encoding="utf-8"))
        datasets[ds["uuid"]] = ds
    out = {}
    for path in (bundle / "dashboards").glob("*.yaml"):
        dash = yaml.safe_load(path.read_text(encoding="utf-8"))
        for f in dash["metadata"]["native_filter_configuration"]:
            if f["name"] == "规划":
                ds = datasets[f["targets"][0]["datasetUuid"]]
                has_current = any(c["column_name"] == "is_current" for c in ds["columns"])
                out[dash["slug"]] = (ds["table_name"], f, has_current)
    return out


def test_every_dashboard_has_a_plan_selector():
    assert set(_plan_filters()) == {"cockpit", "theme", "indicator", "plan-completion"}


def test_plan_selectors_start_on_the_current_plan(served_warehouse):
    con = duckdb.connect(str(served_warehouse), read_only=True)
    try:
        current = con.execute("select plan_option from marts.dim_plan where is_current").fetchall()
        latest_finished = con.execute("select max(plan_option) from presentation.pw_completion").fetchone()[0]
        assert len(current) == 1
        for slug, (table, f, has_current) in _plan_filters().items():
            column = f["targets"][0]["column"]["name"]
            sql = first_value_sql(column, f'"presentation"."{table}"', [f"{column} IS NOT NULL"],
                                  f["controlValues"]["sortAscending"], has_current)
            value = con.execute(sql).fetchone()[0]
            expected = latest_finished if slug == "plan-completion" else current[0][0]
            assert value == expected, f"{slug}: opens on {value!r}, not {expected!r}"
    finally:
        con.close()


def test_a_plan_that_is_current_but_not_newest_still_comes_first():
    """A plan loaded before it starts (newer than the plan in force) does not take the default."""
    con = duckdb.connect()
    try:
        con.execute("create table t as select * from (values ('2026–2030 乙', true), ('2031–2035 丙', false), "
                    "('2021–2025 甲', false)) as v(plan_option, is_current)")
        sql = first_value_sql("plan_option", "t", ["plan_option IS NOT NULL"], False, True)
        assert con.execute(sql).fetchone()[0] == "2026–2030 乙"
        sql = first_value_sql("plan_option", "t", ["plan_option IS NOT NULL"], False, False)
        assert con.execute(sql).fetchone()[0] == "2031–2035 丙"
    finally:
        con.close()


def test_the_peer_filters_start_on_the_latest_year_two_members_reported(served_warehouse):
    """区域对比's three filters cascade (group → metric → year) and start on is_current of pw_peer_comparison, as
    bootstrap works them out: the first group, its first metric, the latest year with at least two reporting
    members — no year written in the bundle."""
    dash = yaml.safe_load((REPO / "superset_config" / "bundle" / "dashboards" / "peers.yaml").read_text("utf-8"))
    filters = dash["metadata"]["native_filter_configuration"]
    assert all(f["controlValues"]["defaultToFirstItem"] for f in filters)
    con = duckdb.connect(str(served_warehouse), read_only=True)
    try:
        chosen: dict[str, str] = {}
        for f in filters:
            column = f["targets"][0]["column"]["name"]
            conditions = [f"{column} IS NOT NULL"] + [
                f"{chosen[p][0]} = '{chosen[p][1]}'" for p in f["cascadeParentIds"]]
            sql = first_value_sql(column, "presentation.pw_peer_comparison", conditions,
                                  f["controlValues"]["sortAscending"], True)
            chosen[f["id"]] = (column, str(con.execute(sql).fetchone()[0]))
        group, metric, year = (v for _, v in chosen.values())
        latest = con.execute("SELECT max(year) FROM marts.rpt_peer_comparison WHERE group_zh = ? AND "
                             "metric_label_zh = ? AND n_reported >= 2", [group, metric]).fetchone()[0]
        first_metric = con.execute("SELECT metric_label_zh FROM marts.rpt_peer_comparison WHERE group_zh = ? "
                                   "ORDER BY metric_order LIMIT 1", [group]).fetchone()[0]
    finally:
        con.close()
    assert (group, metric, year) == ("渝东南", first_metric, str(latest))
    assert metric == "地区生产总值"
