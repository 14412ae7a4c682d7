"""Landing by content hash: inputs untouched, reruns change nothing, bad files are quarantined with a reason."""

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.landing import land_inputs, sha256_of
from planwatch_core.paths import Paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def install(tmp_path) -> Paths:
    inbox = tmp_path / "inbox"
    (inbox / "plans").mkdir(parents=True)
    shutil.copy(REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt", inbox / "plans")
    return Paths(inbox=inbox, warehouse=tmp_path / "warehouse", catalog=REPO / "catalog")


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()
    }


def test_plan_lands_and_rerun_changes_nothing(install):
    plan = install.inbox / "plans" / "qianjiang_14th_fyp_outline.txt"
    before = sha256_of(plan)
    first = land_inputs(install, progress=lambda _: None)
    assert first.parsed == 1 and not first.quarantined and first.files_written > 0
    targets = pq.read_table(install.landing / "plan_targets").to_pylist()
    assert sum(1 for t in targets if t["kind"] == "table") == 27 + 36
    landed = _snapshot(install.landing)

    second = land_inputs(install, progress=lambda _: None)
    assert second.parsed == 0 and second.files_written == 0 and second.files_removed == 0
    assert _snapshot(install.landing) == landed  # same bytes, same mtimes
    assert sha256_of(plan) == before  # inputs are never modified


def test_bad_file_is_quarantined_and_the_rest_lands(install):
    bad = install.inbox / "plans" / "broken_plan.txt"
    bad.write_text(
        "《重庆市黔江区规划纲要》\n\t专栏2：“十四五”主要指标\n\n\t1\n\t地区生产总值（%）\n\t3\n\t7\n\t预期性\n",
        encoding="utf-8",
    )
    report = land_inputs(install, progress=lambda _: None)
    quarantined = {o.name: o for o in report.quarantined}
    assert set(quarantined) == {"broken_plan.txt"}
    assert "no header row" in quarantined["broken_plan.txt"].reason
    manifest = {r["file_name"]: r for r in pq.read_table(install.landing / "input_files").to_pylist()}
    assert manifest["broken_plan.txt"]["status"] == "quarantined"
    assert manifest["broken_plan.txt"]["place"] == "line 4"
    assert manifest["qianjiang_14th_fyp_outline.txt"]["status"] == "loaded"
    assert manifest["qianjiang_14th_fyp_outline.txt"]["n_records"] > 150


def test_plan_of_an_unknown_region_is_quarantined(install):
    (install.inbox / "plans" / "other.txt").write_text("《某某县规划纲要》\n正文\n", encoding="utf-8")
    report = land_inputs(install, progress=lambda _: None)
    (outcome,) = report.quarantined
    assert (outcome.name, outcome.place) == ("other.txt", "title")
    assert "no known region" in outcome.reason


def test_removed_file_takes_its_landing_files(install):
    land_inputs(install, progress=lambda _: None)
    (install.inbox / "plans" / "qianjiang_14th_fyp_outline.txt").unlink()
    report = land_inputs(install, progress=lambda _: None)
    assert report.files_removed == 3  # plans, plan_targets, plan_review_figures
    assert pq.read_table(install.landing / "plan_targets").num_rows == 0


def _land_bulletins(tmp_path: Path, name: str, workers: str, monkeypatch) -> tuple[Paths, object]:
    inbox = tmp_path / name / "inbox"
    shutil.copytree(REPO / "tests" / "bulletins" / "fixtures", inbox / "bulletins")
    paths = Paths(inbox=inbox, warehouse=tmp_path / name / "warehouse", catalog=REPO / "catalog")
    monkeypatch.setenv("PLANWATCH_LANDING_WORKERS", workers)
    return paths, land_inputs(paths, progress=lambda _: None)


def test_a_process_pool_lands_exactly_what_one_process_lands(tmp_path, monkeypatch):
    import ingest.landing

    monkeypatch.setattr(ingest.landing, "PARALLEL_MIN_FILES", 2)  # the fixture corpus is small
    one, one_report = _land_bulletins(tmp_path, "one", "1", monkeypatch)
    pool, pool_report = _land_bulletins(tmp_path, "pool", "2", monkeypatch)

    def outcomes(report) -> list[tuple]:
        return [(o.name, o.status, o.place, o.reason) for o in report.outcomes]

    assert outcomes(pool_report) == outcomes(one_report)
    assert len(pool_report.outcomes) == 25 and pool_report.parsed == 25
    quarantined = {o.name: o.reason for o in pool_report.quarantined}  # errors cross the process boundary whole
    assert {"corrupt_binary.txt", "corrupt_empty.txt"} <= set(quarantined)
    for table in ("bulletin_figures", "rejections"):
        rows_one = pq.read_table(one.landing / table).to_pylist()
        rows_pool = pq.read_table(pool.landing / table).to_pylist()
        assert len(rows_one) > 100 if table == "bulletin_figures" else rows_one
        assert sorted(map(repr, rows_pool)) == sorted(map(repr, rows_one))
