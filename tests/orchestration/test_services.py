"""`planwatch services start|stop`: the Dagster UI and daemon come up on 127.0.0.1 with the code location loaded,
and stop stops exactly the processes it started."""

import json
import os
import socket
import urllib.request

import pytest

from tests.conftest import pipeline_env, run_planwatch

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
        (schedule,) = data["schedulesOrError"]["results"]
        assert (schedule["cronSchedule"], schedule["executionTimezone"]) == ("0 2 * * *", "Asia/Shanghai")
    finally:
        stopped = run_planwatch(built_repo, "services", "stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    for pid in pids.values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not list((tmp_path / "local" / "run").glob("*.pid"))
