"""The compacted landing dataset (landing/<table>/<kind>-b<NN>.parquet): one input file rewrites only its own
bucket, a removed file takes its rows with it, a run killed between parts and buckets is repaired by the next one;
the stat cache hashes a file again when it changed; the plan checks in DuckDB find what ingest.catalog.drift finds.
Real files, real Parquet, real DuckDB."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import ingest.landing
from ingest.catalog import drift
from ingest.landing import (
    BUCKETS,
    RACY_NS,
    bucket_of,
    bucket_path,
    land_inputs,
    read_part,
    sha256_of,
    state_path,
)
from orchestration.assets_landing import landed_drift
from planwatch_core.paths import Paths
from tests.conftest import empty_installation

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 1)
HEADER = "region_code,year,indicator_zh,value,unit,value_kind,note,source_kind,source_url\n"
URL = "https://www.qianjiang.gov.cn/zwgk/tjxx/202503/t20250320_1.html"


@pytest.fixture
def install(tmp_path) -> Paths:
    return empty_installation(tmp_path)


def _land(paths: Paths):
    return land_inputs(paths, progress=lambda _: None, today=TODAY)


def _published(paths: Paths, name: str, year: int, value: float) -> Path:
    path = paths.inbox / "published" / name
    path.write_text(HEADER + f"500114,{year},地区生产总值,{value},亿元,reported,,bulletin,{URL}\n", encoding="utf-8")
    return path


def _rows(paths: Paths, table: str = "published_figures") -> list[tuple]:
    """What dbt reads: the compacted dataset, as the landing source's external_location reads it."""
    glob = paths.landing / table / "*.parquet"
    with duckdb.connect() as connection:
        return connection.execute(
            f"select input_sha256, year, value from read_parquet('{glob}', union_by_name = true) order by all"
        ).fetchall()


def _buckets(paths: Paths, table: str = "published_figures") -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (paths.landing / table).glob("published-b*")}


def test_a_new_file_rewrites_only_its_own_bucket_and_a_removed_file_takes_its_rows(install):
    files = [_published(install, f"p{year}.csv", year, 300.0 + year % 100) for year in range(2015, 2024)]
    _land(install)
    shas = {p.name: sha256_of(p) for p in files}
    # every row carries the full hash of its input file, and dbt's glob sees each file's row once
    assert sorted(r[0] for r in _rows(install)) == sorted(shas.values())
    assert all(len(r[0]) == 64 for r in _rows(install))
    before = _buckets(install)
    assert 1 < len(before) <= BUCKETS
    # a bounded number of files: one per non-empty bucket, plus the empty typed member
    assert {p.name for p in (install.landing / "published_figures").iterdir()} == {*before, "_empty.parquet"}

    new = _published(install, "new.csv", 2014, 250.5)
    new_sha = sha256_of(new)
    own = bucket_path(install, "published_figures", "published", bucket_of(new_sha)).name
    report = _land(install)
    # its bucket of published_figures; no rejections, so no part and no bucket of them
    assert report.parsed == 1 and report.buckets_written == 1
    after = _buckets(install)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {own}
    assert (new_sha, 2014, 250.5) in _rows(install)
    assert len(_rows(install)) == len(files) + 1

    # nothing changed: nothing is parsed or written
    again = _land(install)
    assert (again.parsed, again.files_written, again.buckets_written) == (0, 0, 0)
    assert _buckets(install) == after

    # a removed file takes its rows (and its parts) with it; the other buckets stay as they were
    gone = files[3]
    gone_bucket = bucket_path(install, "published_figures", "published", bucket_of(shas[gone.name])).name
    gone.unlink()
    _land(install)
    assert shas[gone.name] not in {r[0] for r in _rows(install)}
    assert len(_rows(install)) == len(files)
    assert not list((install.landing / "_parts").glob(f"*/published__{shas[gone.name][:16]}.arrow"))
    final = _buckets(install)
    assert {name for name in after if after[name] != final.get(name)} == {gone_bucket}


def test_a_damaged_or_deleted_bucket_is_written_again(install):
    for year in (2019, 2020, 2021):
        _published(install, f"p{year}.csv", year, 310.0)
    _land(install)
    rows = _rows(install)
    bucket = sorted((install.landing / "published_figures").glob("published-b*"))[0]
    good = bucket.read_bytes()
    bucket.write_bytes(good[:-20] + b"\0" * 20)  # same size, damaged footer
    _land(install)
    assert bucket.read_bytes() == good and _rows(install) == rows
    bucket.unlink()
    _land(install)
    assert bucket.read_bytes() == good and _rows(install) == rows


def _start_landing(paths: Paths, marker: Path) -> subprocess.Popen:
    script = (
        "from datetime import date; from pathlib import Path; from planwatch_core.paths import Paths;"
        "from ingest.landing import land_inputs;"
        f"land_inputs(Paths(Path({str(paths.inbox)!r}), Path({str(paths.warehouse)!r}), "
        f"Path({str(paths.catalog)!r})), progress=lambda _: None, today=date(2026, 6, 1))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "PLANWATCH_PAUSE_AT": "before_compaction"}
    env["PLANWATCH_PAUSE_MARKER"] = str(marker)
    return subprocess.Popen([sys.executable, "-c", script], cwd=str(REPO), env=env, start_new_session=True)


def test_a_run_killed_between_parts_and_buckets_is_repaired_by_the_next(install, tmp_path):
    for year in (2019, 2020):
        _published(install, f"p{year}.csv", year, 320.0)
    _land(install)
    before = _rows(install)
    new = _published(install, "new.csv", 2021, 333.5)
    marker = tmp_path / "paused"
    process = _start_landing(install, marker)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the landing ended before its pause point"
            assert time.monotonic() < deadline, "the landing never reached its pause point"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    new_sha = sha256_of(new)
    # killed after the parts and the state, before the buckets: the part is there, dbt's dataset is still the old
    assert (install.landing / "_parts" / "published_figures" / f"published__{new_sha[:16]}.arrow").exists()
    assert _rows(install) == before

    report = _land(install)
    assert report.parsed == 0 and report.buckets_written >= 1  # nothing parsed again: only the bucket is written
    assert (new_sha, 2021, 333.5) in _rows(install) and len(_rows(install)) == 3
    assert _land(install).buckets_written == 0


def test_the_stat_cache_hashes_again_a_file_changed_with_the_same_size(install, monkeypatch):
    hashed: list[str] = []
    real = ingest.landing.sha256_of

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(ingest.landing, "sha256_of", counting)
    path = _published(install, "a.csv", 2020, 301.0)
    old_ns = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old_ns, old_ns))  # old enough for its stat to be trusted
    _land(install)
    assert hashed == ["a.csv"]
    _land(install)
    assert hashed == ["a.csv"]  # unchanged size, mtime and inode: not read again

    inode = path.stat().st_ino
    _published(install, "a.csv", 2020, 302.0)  # same size, other bytes, same inode
    assert path.stat().st_size == len(path.read_bytes()) and path.stat().st_ino == inode
    os.utime(path, ns=(old_ns + 1_000, old_ns + 1_000))
    _land(install)
    assert hashed == ["a.csv", "a.csv"]
    assert _rows(install) == [(sha256_of(path), 2020, 302.0)]

    # changed again within the clock tick it was hashed in (same size, mtime and inode): a stat that recent is not
    # trusted, so the file is hashed again
    _published(install, "a.csv", 2020, 303.0)
    now_ns = time.time_ns()
    os.utime(path, ns=(now_ns, now_ns))
    _land(install)
    _published(install, "a.csv", 2020, 304.0)
    os.utime(path, ns=(now_ns, now_ns))
    _land(install)
    assert _rows(install) == [(sha256_of(path), 2020, 304.0)]


def test_the_checks_in_duckdb_find_what_drift_finds(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", catalog)
    inbox = tmp_path / "inbox"
    (inbox / "plans").mkdir(parents=True)
    shutil.copy(REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt", inbox / "plans")
    paths = Paths(inbox=inbox, warehouse=tmp_path / "warehouse", catalog=catalog)
    _land(paths)
    assert landed_drift(paths) == []

    # the reviewed catalog says another unit for one row: drift in DuckDB is what ingest.catalog.drift says
    text = (catalog / "indicators.yaml").read_text(encoding="utf-8")
    changed = text.replace('unit: "亿元"', 'unit: "万元"', 1)
    assert changed != text
    (catalog / "indicators.yaml").write_text(changed, encoding="utf-8")
    _land(paths)
    records = pq.read_table(paths.landing / "plan_targets").to_pylist()
    expected = drift(records, ingest.landing.catalog_context(paths, TODAY).catalog)
    assert expected and landed_drift(paths) == expected
    assert hashlib.sha256(text.encode()).hexdigest() != hashlib.sha256(changed.encode()).hexdigest()


def _age(paths: Paths) -> None:
    """Every inbox file older than RACY_NS, as files that came in before today's run."""
    old = time.time_ns() - 10 * RACY_NS
    for path in paths.inbox.rglob("*"):
        os.utime(path, ns=(old, old))


def test_an_unchanged_kind_is_not_checked_file_by_file_until_something_changes(install, monkeypatch):
    for year in (2019, 2020):
        _published(install, f"p{year}.csv", year, 300.0 + year % 10)
    _age(install)
    _land(install)
    rows = _rows(install)
    hashed: list[str] = []
    real = ingest.landing.cached_sha256

    def counting(path: Path, *args) -> str:
        hashed.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(ingest.landing, "cached_sha256", counting)
    log: list[str] = []
    report = land_inputs(install, progress=log.append, today=TODAY)
    assert any("[published] inbox/published/ and what it landed are unchanged" in line for line in log)
    assert hashed == []  # not one file of the kind looked at
    assert [o.name for o in report.outcomes if o.kind == "published"] == ["p2019.csv", "p2020.csv"]
    assert report.parsed == 0 and _rows(install) == rows

    # a landed part damaged in place: its stat changed, so the kind is checked file by file and it is landed again
    part = sorted((install.landing / "_parts" / "published_figures").glob("published__*.arrow"))[0]
    good = part.read_bytes()
    part.write_bytes(good[: len(good) // 2])
    log.clear()
    land_inputs(install, progress=log.append, today=TODAY)
    assert part.read_bytes() == good and any("damaged; landing it again" in line for line in log)
    assert hashed == ["p2019.csv", "p2020.csv"]

    # a deleted bucket is written again; a file moved in with an old modification time is landed
    bucket = sorted((install.landing / "published_figures").glob("published-b*"))[0]
    bucket.unlink()
    _land(install)
    assert bucket.exists() and _rows(install) == rows
    new = _published(install, "p2021.csv", 2021, 333.0)
    _age(install)
    _land(install)
    assert (sha256_of(new), 2021, 333.0) in _rows(install) and len(_rows(install)) == 3


def test_no_signature_is_recorded_while_an_inbox_file_is_recent(install):
    """A file rewritten within one clock tick can keep its size, mtime and inode: while an inbox file is younger
    than RACY_NS its kind records no signature, so the next run checks every file again."""
    _published(install, "p.csv", 2020, 1.0)  # just written
    _land(install)
    assert not ingest.landing.signature_path(install, "published").exists()
    _age(install)
    _land(install)
    assert ingest.landing.signature_path(install, "published").exists()
    _published(install, "p.csv", 2020, 2.0)  # rewritten now: the old signature no longer matches
    _land(install)
    assert not ingest.landing.signature_path(install, "published").exists()
    assert [v for _, _, v in _rows(install)] == [2.0]


def test_parts_of_the_older_parquet_format_are_replaced_by_arrow_parts_with_the_same_rows(install):
    """An installation landed before parts were Arrow files: its Parquet parts and their state give way to Arrow
    parts on the next run (every file is read again once), and dbt's buckets keep the same rows."""
    for year in (2019, 2020):
        _published(install, f"p{year}.csv", year, 320.0)
    _land(install)
    rows = _rows(install)
    folder = install.landing / "_parts" / "published_figures"
    for part in list(folder.glob("published__*.arrow")):  # as the older landing left them
        pq.write_table(read_part(part), part.with_suffix(".parquet"))
        part.unlink()
    state = state_path(install, "published")
    state.write_text(state.read_text(encoding="utf-8").replace(":published-7", ":published-6"), encoding="utf-8")
    report = _land(install)
    assert report.parsed == 2
    assert sorted(p.suffix for p in folder.iterdir()) == [".arrow", ".arrow"]
    assert _rows(install) == rows
