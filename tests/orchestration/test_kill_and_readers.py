"""A run killed (SIGKILL) at any point leaves the served warehouse byte-for-byte unchanged and readable, the next
run recovers; readers querying the served file while a run publishes see no error."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import pipeline_env, run_planwatch

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def repo(built_repo, tmp_path) -> Path:
    """A copy of the session's built repository, served warehouse and landing state included."""
    copy = tmp_path / "repo"
    shutil.copytree(built_repo, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    return copy


def _start_build(repo: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "planwatch.cli", "build", "--quiet", *args],
        cwd=repo,
        env=pipeline_env(repo, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: dbt's subprocess dies with it
    )


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _wait_for(predicate, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the run never reached the point to kill it at")
        time.sleep(0.05)


def _rewritten(path: Path, kept_mtime_ns: int | None) -> bool:
    try:
        stat = path.stat()
    except OSError:  # deleted for the fresh build, not written yet
        return False
    return stat.st_size > 0 and stat.st_mtime_ns != kept_mtime_ns


def _assert_served_intact(served: Path, expected_sha: str) -> None:
    assert _sha(served) == expected_sha
    connection = duckdb.connect(str(served), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.dim_indicator").fetchone()[0] > 100
    finally:
        connection.close()


def _kill_at(repo: Path, point: str) -> None:
    marker = repo / f"paused_{point}"
    if point == "during_ingest":
        # a new bulletin makes the landing parse; it pauses right after writing its first landing file
        shutil.copy(
            HERE.parent / "fixtures" / "e2e" / "2024年黔江区国民经济和社会发展统计公报.txt",
            repo / "inbox" / "bulletins",
        )
        process = _start_build(repo, PLANWATCH_PAUSE_AT="after_first_landing_file", PLANWATCH_PAUSE_MARKER=str(marker))
        _wait_for(marker.exists)
    elif point == "during_dbt":
        build = repo / "warehouse" / "build" / "planwatch.duckdb"
        kept = build.stat().st_mtime_ns if build.exists() else None  # the build file is kept from run to run
        process = _start_build(repo, "--force")  # --force: a fresh build file, which dbt is writing now
        _wait_for(lambda: _rewritten(build, kept))
        time.sleep(1.0)  # dbt is writing models now
    else:
        process = _start_build(repo, "--force", PLANWATCH_PAUSE_AT="before_swap", PLANWATCH_PAUSE_MARKER=str(marker))
        _wait_for(marker.exists)
    _kill(process)


def test_kill_at_any_point_leaves_served_warehouse_unchanged(repo):
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    before = _sha(served)
    for point in ("during_ingest", "during_dbt", "before_swap"):
        started = time.monotonic()
        _kill_at(repo, point)
        print(f"\nkilled {point} after {time.monotonic() - started:.1f}s")
        _assert_served_intact(served, before)  # byte for byte, and it opens read-only

    # the next run recovers: no stale lock, no half-built file in the way, the new bulletin lands
    result = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "published" in result.stderr and _sha(served) != before
    connection = duckdb.connect(str(served), read_only=True)
    assert connection.execute("select newest_bulletin_year from marts.meta_build").fetchone()[0] == 2024
    connection.close()


def _dbt_processes_of(parent: int) -> list[int]:
    """The dbt processes (orchestration/dbt_worker.py) whose parent is `parent`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"orchestration.dbt_worker" in command:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its exit status waits to be collected


def test_the_dbt_process_dies_with_its_build(repo):
    """Only the build's own process is killed, not its process group (a service manager may do just that): its dbt
    process, which was writing the build file, is gone within seconds, the served file is unchanged, and the next
    run builds and publishes."""
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    before = _sha(served)
    build = repo / "warehouse" / "build" / "planwatch.duckdb"
    kept = build.stat().st_mtime_ns
    process = _start_build(repo, "--force")
    _wait_for(lambda: _rewritten(build, kept))
    workers = _dbt_processes_of(process.pid)
    assert len(workers) == 1, "the build has one dbt process"
    process.kill()
    process.wait(timeout=30)
    _wait_for(lambda: not _running(workers[0]), timeout=10)
    _assert_served_intact(served, before)

    result = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "published" in result.stderr


def test_readers_see_no_error_while_a_run_publishes(repo):
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    connection = duckdb.connect(str(served), read_only=True)
    old_build = connection.execute("select dbt_invocation_id from marts.meta_build").fetchone()[0]
    connection.close()
    stop = threading.Event()
    errors: list[str] = []
    counts = {"queries": 0}

    def read_loop() -> None:
        while not stop.is_set():
            try:
                reader = duckdb.connect(str(served), read_only=True)
                try:
                    n = reader.execute("select count(*) from marts.fct_indicator_progress").fetchone()[0]
                    reader.execute("select status, count(*) from marts.rpt_indicator_status group by 1").fetchall()
                    assert n > 0
                    counts["queries"] += 2
                finally:
                    reader.close()
                time.sleep(0.02)  # a dashboard's pace, not a busy loop starving the build
            except Exception as exc:  # any error at all is a failure of the publish protocol
                errors.append(repr(exc))

    threads = [threading.Thread(target=read_loop) for _ in range(3)]
    for thread in threads:
        thread.start()
    process = _start_build(repo, "--force")
    try:
        process.wait(timeout=300)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert process.returncode == 0, process.stderr.read().decode()[-2000:]
    assert errors == []
    assert counts["queries"] > 100
    connection = duckdb.connect(str(served), read_only=True)
    assert connection.execute("select dbt_invocation_id from marts.meta_build").fetchone()[0] != old_build
    connection.close()
    print(f"\n{counts['queries']} read-only queries during the run, 0 errors")
