"""The dashboards show the same figures as before the dashboard layer moved into dbt (issue 10).

tests/fixtures/chart_data_snapshot.json holds every chart's data as the bundle of commit 61852fc computed it (virtual
datasets of SQL in author_bundle.py) on the warehouse the repository's inbox builds: `python tests/chart_data.py
warehouse/serving/planwatch.duckdb`. Each chart of today's bundle (physical datasets on the presentation models) is
run the same way on this session's build and must give the same rows. Deliberate differences are listed below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chart_data import chart_data

SNAPSHOT = Path(__file__).parent / "fixtures" / "chart_data_snapshot.json"

# Charts whose data changed on purpose, with the reason; everything else must be equal.
DELIBERATE: dict[str, str] = {
    "quality_inputs": "the repository's inbox gained an input since the snapshot (inbox/published/"
                      "yudongnan_published_figures.csv, issue 14); files read but not served (skipped README.md, "
                      "older plan versions, conflicts; issue 16) are listed in quality_set_aside_table instead",
}

# The dashboards now carry a plan selector (a native filter on plan_option) and their datasets hold every plan:
# the selection is applied here as the dashboard applies it. The snapshot showed the 14th plan on 领导驾驶舱 and
# 主题详情 (then the plan with the latest target year; now the plan in force, or the latest where none is) and the
# 13th on 十三五完成情况, which became 规划完成情况 for every finished plan with final-year verdicts (the 14th,
# finished in 2025, is new: test_completion_dashboard_offers_every_finished_plan).
PLAN_13, PLAN_14 = "plan_id = 'qianjiang-13th'", "plan_id = 'qianjiang-14th'"
SELECTIONS = {"pw_indicator_status": PLAN_14, "pw_theme_status": PLAN_14, "pw_headline": PLAN_14,
              "pw_completion": PLAN_13}


@pytest.fixture(scope="module")
def charts_now(served_warehouse: Path) -> dict[str, dict]:
    return chart_data(served_warehouse, selections=SELECTIONS)


def test_every_snapshotted_chart_still_exists(charts_now):
    before = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert set(before) <= set(charts_now), f"charts gone: {sorted(set(before) - set(charts_now))}"


@pytest.mark.parametrize("key", sorted(json.loads(SNAPSHOT.read_text(encoding="utf-8"))))
def test_chart_shows_the_same_figures(charts_now, key):
    if key in DELIBERATE:
        pytest.skip(DELIBERATE[key])
    before = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[key]
    now = charts_now[key]
    assert now["columns"] == before["columns"], f"{key}: columns {before['columns']} → {now['columns']}"
    assert len(now["rows"]) == len(before["rows"]), f"{key}: {len(before['rows'])} rows → {len(now['rows'])}"
    for old, new in zip(before["rows"], now["rows"], strict=True):
        assert new == old, f"{key} ({before['title']}): {old} → {new}"


def test_completion_dashboard_offers_every_finished_plan(served_warehouse):
    """Without a selection the completion table holds the 13th plan (as before) and the 14th, which ended in 2025:
    the plan selector offers both, the latest finished first."""
    import duckdb

    con = duckdb.connect(str(served_warehouse), read_only=True)
    try:
        plans = con.execute("select plan_id, plan_option, count(*) from presentation.pw_completion "
                            "group by all order by plan_option desc").fetchall()
        current = con.execute("select plan_id from marts.dim_plan where is_current").fetchall()
    finally:
        con.close()
    assert [p for p, _, _ in plans] == ["qianjiang-14th", "qianjiang-13th"]
    assert "2021–2025" in plans[0][1]
    assert plans[1][2] == 36  # the 13th plan's rows, as in the snapshot
    assert len(current) == 1


LABELS_BEFORE = Path(__file__).parent / "fixtures" / "dataset_labels_before.json"  # the bundle of commit 61852fc
RENAMED_DATASETS = {"pw_current_status": "pw_indicator_status"}  # now holds every plan; the plan selector picks one
# Column labels now come from the dbt models (meta.label_zh); the old bundle's *编码 labels differed from dbt's.
LABEL_FIXES = {("indicator_id", "指标编码"): "指标编号", ("plan_id", "规划编码"): "规划编号",
               ("theme_code", "主题编码"): "主题代码", ("status", "状态编码"): "状态代码"}
# pw_coverage is aggregated in dbt to one row per indicator × year (issue 15: its heatmap averaged every plan's and
# region's cells per request); its per-plan columns went (per plan: marts.rpt_coverage), has_actual became the counts
# n_cells / n_with_actual. The coverage charts show the same figures (test_chart_shows_the_same_figures).
AGGREGATED_AWAY = {("pw_coverage", c) for c in ("plan_id", "plan_name", "source_kind", "has_actual")}


def test_column_labels_are_unchanged_but_for_the_code_label_fixes():
    import yaml

    now = {}
    for path in (Path(__file__).parents[1] / "superset_config" / "bundle" / "datasets").rglob("*.yaml"):
        ds = yaml.safe_load(path.read_text(encoding="utf-8"))
        now[ds["table_name"]] = {c["column_name"]: c["verbose_name"] for c in ds["columns"]}
    before = json.loads(LABELS_BEFORE.read_text(encoding="utf-8"))
    differences = []
    for name, columns in before.items():
        for column, label in columns.items():
            if (name, column) in AGGREGATED_AWAY:
                continue
            expected = LABEL_FIXES.get((column, label), label)
            got = now[RENAMED_DATASETS.get(name, name)].get(column)
            if got != expected:
                differences.append(f"{name}.{column}: {label} → {got} (expected {expected})")
    assert not differences, "\n".join(differences)
