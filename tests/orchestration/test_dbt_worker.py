"""The run's dbt process (orchestration/dbt_worker.py), driven as the build step drives it, with real dbt on copies
of a built warehouse: it parses early and builds with that parse, reports each node and its outcome, and never
outlives the one who asked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_arguments import DbtVars, common_arguments
from orchestration.dbt_worker import DbtWorker, DbtWorkers
from tests.conftest import copy_build

pytestmark = pytest.mark.slow


def _common(built_repo: Path, folder: Path) -> list[str]:
    variables = copy_build(built_repo, folder / "build")
    return common_arguments(DbtVars(**{name: Path(value) for name, value in variables.items()}), folder / "dbt_target")


def _build(worker: DbtWorker, command: list[str], common: list[str]) -> tuple[list[dict], dict]:
    replies = list(worker.build(command, common))
    assert "done" in replies[-1] and all("event" in reply for reply in replies[:-1])
    return [reply["event"] for reply in replies[:-1]], replies[-1]["done"]


def test_the_worker_builds_with_the_parse_it_did_early_and_reports_every_node(built_repo, tmp_path):
    common = _common(built_repo, tmp_path)
    worker = DbtWorker.start()
    worker.parse(common)
    events, done = _build(worker, ["build", "--select", "dim_theme", "--exclude-resource-type", "unit_test"], common)

    assert done["success"] and done["parsed_before"] and done["errors"] == []
    names = {event["info"]["name"] for event in events}
    assert names == {"LogModelResult", "LogTestResult"}  # the model and its tests, as dbt's JSON log states them
    model = next(event for event in events if event["info"]["name"] == "LogModelResult")
    assert model["data"]["node_info"]["unique_id"] == "model.planwatch.dim_theme"
    assert model["data"]["status"] == "OK"  # dbt's own word for a built model
    assert worker._process.returncode == 0  # exited, its databases closed: the file opens here at once
    connection = duckdb.connect(str(tmp_path / "build" / "planwatch.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.dim_theme").fetchone()[0] == 5
    finally:
        connection.close()


def test_while_nothing_is_asked_the_worker_compiles_every_macro_of_the_project(built_repo, tmp_path):
    """After its parse the process compiles the Jinja templates of the project's macros, the project's own, the
    adapter's and dbt's, into dbt's template cache; the build then finds them compiled."""
    common = _common(built_repo, tmp_path)
    worker = DbtWorker.start()
    worker.parse(common)
    ready = json.loads(worker._replies.readline())["ready"]  # what the process says once the parse and macros are done
    assert ready["parsed"] and ready["macros_ready"] > 500  # 521 at this writing: 10 of ours, 88 dbt-duckdb, dbt's
    _, done = _build(worker, ["build", "--select", "dim_theme", "--exclude-resource-type", "unit_test"], common)
    assert done["success"] and done["macros_ready"] == ready["macros_ready"]


def test_a_build_asked_with_other_arguments_than_the_parse_parses_again(built_repo, tmp_path):
    common = _common(built_repo, tmp_path)
    worker = DbtWorker.start()
    worker.parse([*common[:-1]])  # not what the build gets: that parse must not be used
    _, done = _build(worker, ["build", "--select", "dim_theme", "--exclude-resource-type", "unit_test"], common)
    assert done["success"] and not done["parsed_before"] and done["macros_ready"] == 0


def test_a_failing_model_comes_back_as_dbt_s_error_line(built_repo, tmp_path):
    common = _common(built_repo, tmp_path)
    worker = DbtWorker.start()
    # a var the project does not accept for a path: dbt cannot open the working file
    broken = [*common]
    broken[1] = json.dumps(json.loads(common[1]) | {"working_db": str(tmp_path / "missing" / "working.duckdb")})
    _, done = _build(worker, ["build", "--select", "dim_theme"], broken)
    assert not done["success"]
    assert any("missing" in line for line in [*done["errors"], done["exception"] or ""])


def test_a_worker_told_to_stop_goes_and_an_unused_one_is_replaced(built_repo, tmp_path):
    worker = DbtWorker.start()
    started = time.monotonic()
    worker.stop()
    assert worker._process.returncode is not None and time.monotonic() - started < 10

    workers = DbtWorkers(worker)
    fresh = workers.take()  # the stopped one is not handed out
    assert fresh is not worker and fresh.alive()
    again = workers.take()  # nothing kept: each take starts one
    assert again is not fresh
    for started_worker in (fresh, again):
        started_worker.stop()


def test_a_dbt_process_that_died_is_reported_by_the_build_not_raised_by_the_parse(built_repo, tmp_path):
    """dbt that cannot start (a broken installation) or a process killed by someone: asking it to parse does not
    fail the run at that point; the build says how the process ended, which the step reports as its failure."""
    common = _common(built_repo, tmp_path)
    worker = DbtWorker.start()
    worker._process.kill()
    worker._process.wait()
    worker.parse(common)
    assert not worker.alive()
    _, done = _build(worker, ["build", "--select", "dim_theme"], common)
    assert not done["success"]
    assert "the dbt process ended (exit code -9) before reporting its result" in done["exception"]
