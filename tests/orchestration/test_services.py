"""`planwatch services start|stop`: the Dagster UI and daemon come up on 127.0.0.1 with the code location loaded,
and stop stops exactly the processes it started; a file dropped in the inbox is built and published by a run the
daemon launches (the nightly path)."""

import json
import os
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_repo, pipeline_env, run_planwatch

BULLETIN = Path(__file__).resolve().parents[1] / "fixtures" / "e2e" / "2024年黔江区国民经济和社会发展统计公报.txt"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def test_dagster_ui_and_daemon_start_and_stop(built_repo, tmp_path):
    port = _free_port()
    env = pipeline_env(built_repo, PLANWATCH_LOCAL=str(tmp_path / "local"))
    started = run_planwatch(built_repo, "services", "start", "--skip", "superset", "--dagster-port", str(port),
                            env=env, timeout=300)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"http://127.0.0.1:{port}" in started.stdout
        pids = {p.stem: int(p.read_text()) for p in (tmp_path / "local" / "run").glob("*.pid")}
        assert set(pids) == {"dagster-webserver", "dagster-daemon"}
        workspace = _graphql(port, "{ workspaceOrError { ... on Workspace { locationEntries { name "
                                   "locationOrLoadError { __typename } } } } }")
        (location,) = workspace["workspaceOrError"]["locationEntries"]
        assert location["name"] == "planwatch"
        assert location["locationOrLoadError"]["__typename"] == "RepositoryLocation"
        selector = '{repositoryName: "__repository__", repositoryLocationName: "planwatch"}'
        data = _graphql(port, f"{{ schedulesOrError(repositorySelector: {selector}) {{ ... on Schedules {{ results "
                              f"{{ name cronSchedule executionTimezone }} }} }} }}")
        results = data["schedulesOrError"]["results"]
        schedules = {s["name"]: (s["cronSchedule"], s["executionTimezone"]) for s in results}
        assert schedules == {
            "nightly_0200_shanghai": ("0 2 * * *", "Asia/Shanghai"),
            "run_history_weekly": ("30 3 * * 0", "Asia/Shanghai"),
        }
    finally:
        stopped = run_planwatch(built_repo, "services", "stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    for pid in pids.values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not list((tmp_path / "local" / "run").glob("*.pid"))


def _finished_run(port: int, timeout_s: float) -> dict:
    """The first run of the instance that has ended, waiting for it (the daemon's sensor launches it)."""
    query = "{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = _graphql(port, query)["runsOrError"]["results"]
        ended = [r for r in runs if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
        if ended:
            return ended[-1]
        time.sleep(2)
    raise AssertionError(f"no run ended within {timeout_s:.0f} s: {runs}")


def test_a_dropped_bulletin_is_published_by_a_run_the_daemon_launches(built_repo, tmp_path):
    """The nightly path, not `planwatch build`: the daemon's inbox sensor sees the new file and launches the job in a
    run worker of its own, which lands it, runs dbt inside that process and publishes."""
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(built_repo / "warehouse", repo / "warehouse", dirs_exist_ok=True)
    shutil.copy(BULLETIN, repo / "inbox" / "bulletins")
    served = repo / "warehouse" / "serving" / "planwatch.duckdb"
    port = _free_port()
    env = pipeline_env(repo, PLANWATCH_LOCAL=str(tmp_path / "local"))
    started = run_planwatch(repo, "services", "start", "--skip", "superset", "--dagster-port", str(port), env=env,
                            timeout=300)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        run = _finished_run(port, timeout_s=420)
    finally:
        run_planwatch(repo, "services", "stop", env=env)
    assert run["status"] == "SUCCESS", run
    assert {"key": "planwatch/trigger", "value": "inbox"} in run["tags"]
    connection = duckdb.connect(str(served), read_only=True)
    try:
        years = connection.execute(
            "select distinct year from marts.fct_bulletin_figure where region_code = '500114' order by 1"
        ).fetchall()
    finally:
        connection.close()
    assert (2024,) in years
