"""The coverage charts of 数据质量 read pre-aggregated rows (issue 15): presentation.pw_coverage holds one row per
indicator × year — as many rows as distinct (indicator, year) cells of marts.rpt_coverage up to the newest bulletin
year, not one per plan or region — and its counts add up to those cells."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

BUNDLE = Path(__file__).resolve().parents[1] / "superset_config" / "bundle"
COVERAGE_CHARTS = ("quality_coverage", "quality_coverage_theme", "quality_coverage_indicator")


def _query(served: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(served), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_coverage_rows_are_indicators_times_years(served_warehouse: Path):
    columns = {name for (name,) in _query(served_warehouse, "select column_name from information_schema.columns "
                                                            "where table_schema = 'presentation' "
                                                            "and table_name = 'pw_coverage'")}
    assert not columns & {"plan_id", "plan_name", "plan_option", "region_code", "has_actual"}
    [(rows, cells, labels_years, n_cells, n_with_actual)] = _query(served_warehouse, """
        select count(*), count(distinct (indicator_label, theme_label, year, is_table_indicator)),
               count(distinct (indicator_label, year)), sum(n_cells), sum(n_with_actual)
        from presentation.pw_coverage""")
    assert rows == cells == labels_years > 0  # one row per indicator label and year
    [(plan_cells, plan_actuals)] = _query(served_warehouse, """
        select count(*), count(*) filter (where c.has_actual)
        from marts.rpt_coverage as c
        where c.year <= coalesce((select max(newest_bulletin_year) from marts.meta_build), c.year)""")
    assert (n_cells, n_with_actual) == (plan_cells, plan_actuals)
    assert 0 < n_with_actual < n_cells


def test_coverage_charts_add_up_counts_and_do_not_average_cells():
    datasets = {d["uuid"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                       for p in (BUNDLE / "datasets").rglob("*.yaml"))}
    for key in COVERAGE_CHARTS:
        chart = yaml.safe_load((BUNDLE / "charts" / f"{key}.yaml").read_text(encoding="utf-8"))
        dataset = datasets[chart["dataset_uuid"]]
        assert dataset["table_name"] == "pw_coverage" and not dataset["sql"]
        coverage = next(m for m in dataset["metrics"] if m["metric_name"] == "coverage")["expression"]
        assert "SUM(n_with_actual)" in coverage and "SUM(n_cells)" in coverage and "AVG" not in coverage
