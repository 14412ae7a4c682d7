"""A real Superset for the BI tests: bootstrapped into a temporary PLANWATCH_LOCAL against a copy of the
session's served warehouse (tests/conftest.py `served_warehouse`), served by gunicorn on a free 127.0.0.1 port,
started once per session and always stopped at the end. No mocks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from superset_helpers import SUPERSET_VENV, SupersetServer, _env, free_port, planwatch

from planwatch_core.processes import stop_process_group

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bi_warehouse(request: pytest.FixtureRequest) -> Path:
    """The served warehouse the BI tests run on: the session's real build (`served_warehouse`), or, only for
    developing the dashboards, a file named by PLANWATCH_TEST_WAREHOUSE_DB."""
    override = os.environ.get("PLANWATCH_TEST_WAREHOUSE_DB")
    if override:
        return Path(override).resolve()
    return request.getfixturevalue("served_warehouse")


@pytest.fixture(scope="session")
def superset_server(bi_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("superset")
    local = root / "local"
    warehouse = root / "warehouse"
    (warehouse / "serving").mkdir(parents=True)
    served = warehouse / "serving" / "planwatch.duckdb"
    shutil.copy2(bi_warehouse, served)
    env = _env(local, warehouse)

    if not (SUPERSET_VENV / "bin" / "superset").exists():
        result = planwatch("install", env=env, timeout=600)
        assert result.returncode == 0, f"planwatch superset install failed:\n{result.stdout}\n{result.stderr}"

    started = time.monotonic()
    boot = planwatch("bootstrap", env=env, timeout=600)
    assert boot.returncode == 0, f"bootstrap failed:\n{boot.stdout[-4000:]}\n{boot.stderr[-4000:]}"
    print(f"\nsuperset bootstrap: {time.monotonic() - started:.0f}s", file=sys.stderr)

    port = free_port()
    log = (root / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "planwatch.cli", "superset", "serve", "--port", str(port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"superset exited early ({proc.returncode}):\n{(root / 'serve.log').read_text()[-4000:]}")
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"superset not healthy after 120 s:\n{(root / 'serve.log').read_text()[-4000:]}")
            time.sleep(0.5)
        print(f"superset up on {base} after {time.monotonic() - started:.0f}s in all", file=sys.stderr)
        yield SupersetServer(base=base, local=local, warehouse_db=served, bootstrap_output=boot.stdout)
    finally:
        # serve exec's gunicorn, so proc.pid is the gunicorn master; its process group holds the workers
        stop_process_group(proc)  # gunicorn and its workers
        log.close()
