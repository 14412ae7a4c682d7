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
DELIBERATE: dict[str, str] = {}


@pytest.fixture(scope="module")
def charts_now(served_warehouse: Path) -> dict[str, dict]:
    return chart_data(served_warehouse)


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
