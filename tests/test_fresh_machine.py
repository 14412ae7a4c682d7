"""A fresh machine: `make up`'s install steps pass with uv absent from PATH, and `make up` prints one line per stage
with the full output in a log file (and, on failure, the log's path, its last lines and what to do)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planwatch_core.uv_locator import find_uv
from tests.conftest import copy_repo

REPO = Path(__file__).resolve().parent.parent


def _path_without_uv(path: str) -> str:
    """PATH without any folder holding uv, and without this test's own virtualenv (a fresh machine has neither)."""
    venv_bin = Path(sys.prefix) / "bin"
    return os.pathsep.join(
        d for d in path.split(os.pathsep) if d and not (Path(d) / "uv").exists() and Path(d) != venv_bin
    )


def _cache_dirs() -> dict[str, str]:
    """The real caches (so the test installs from them instead of downloading a gigabyte again)."""
    uv = find_uv()
    assert uv, "uv is needed to know its cache"
    uv_cache = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True, check=True).stdout.strip()
    pip_cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                               check=False).stdout.strip() or str(Path.home() / ".cache" / "pip")
    return {"UV_CACHE_DIR": uv_cache, "PIP_CACHE_DIR": pip_cache}


@pytest.mark.slow
def test_make_install_finds_uv_without_it_on_path(tmp_path):
    """A copy of the repository as a clone would hold it, HOME an empty folder, no folder of PATH holding uv:
    `make install install-superset` installs uv (pip --user into the new HOME) and uses it for both
    environments, the Superset one included (planwatch superset install finds uv the Makefile's way)."""
    repo = copy_repo(tmp_path / "clone")
    home = tmp_path / "home"
    home.mkdir()
    path = _path_without_uv(os.environ["PATH"])
    assert shutil.which("uv", path=path) is None
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PLANWATCH_", "DAGSTER_", "UV_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(_cache_dirs(), HOME=str(home), PATH=path, UV_LINK_MODE="hardlink")
    started = time.monotonic()
    result = subprocess.run(["make", "install", "install-superset"], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=600)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (home / ".local" / "bin" / "uv").is_file()  # installed by `make uv` (pip --user), not on PATH
    assert (repo / ".venv" / "bin" / "dagster").is_file()
    assert (repo / "superset_config" / ".venv" / "bin" / "superset").is_file()
    assert "uv is not on PATH" not in result.stdout + result.stderr
    print(f"\nmake install install-superset on a fresh copy without uv on PATH: {seconds:.0f}s")


def _stage(tmp_path: Path, *command: str, hint: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PLANWATCH_LOCAL=str(tmp_path / "local"))  # the child's own environment
    args = [sys.executable, "-m", "planwatch_core.stages", "demo", "2/5", "a demo stage"]
    if hint:
        args += ["--hint", hint]
    return subprocess.run([*args, "--", *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)


def test_a_stage_prints_one_line_and_keeps_its_output_in_a_log(tmp_path):
    noisy = "for i in range(500): print('line', i)"
    result = _stage(tmp_path, sys.executable, "-c", noisy)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "[2/5] a demo stage …" and lines[-1].startswith("[2/5] a demo stage ok (")
    assert len(lines) == 2 and result.stderr == ""
    log = tmp_path / "local" / "logs" / "make-up-demo.log"
    assert "line 499" in log.read_text()


def test_a_failing_stage_shows_the_log_path_its_tail_and_what_to_do(tmp_path):
    failing = "import sys\nfor i in range(100): print('step', i)\nsys.exit('cannot reach PyPI')"
    result = _stage(tmp_path, sys.executable, "-c", failing, hint="check the network, then make up again")
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    log = tmp_path / "local" / "logs" / "make-up-demo.log"
    assert f"full log: {log}" in result.stderr
    assert "cannot reach PyPI" in result.stderr and "step 99" in result.stderr and "step 50" not in result.stderr
    assert "what to do next: check the network, then make up again" in result.stderr
