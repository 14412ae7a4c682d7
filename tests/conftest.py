"""Shared fixtures. The warehouse used by mart, orchestration and dashboard tests is built ONCE per session, by the
real pipeline (`planwatch build`: landing → dbt build → checks → publish), from a fresh copy of the repository's
files into a temporary directory, so no test depends on state left in the working tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planwatch_core.paths import INPUT_KINDS, Paths

REPO = Path(__file__).resolve().parent.parent
PLAN_FILE = REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt"


def empty_installation(root: Path) -> Paths:
    """An installation under `root` with an empty inbox folder of every input kind and the repository's catalog."""
    inbox = root / "inbox"
    for kind in INPUT_KINDS:
        (inbox / kind).mkdir(parents=True)
    return Paths(inbox=inbox, warehouse=root / "warehouse", catalog=REPO / "catalog")


def repo_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files: what a fresh clone of this working tree would hold."""
    output = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    return [name for name in output.decode().split("\0") if name and (REPO / name).is_file()]


def copy_repo(destination: Path) -> Path:
    for name in repo_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    return destination


def pipeline_env(repo_copy: Path, **extra: str) -> dict[str, str]:
    """Run the copy's own code with this environment's interpreter (PYTHONPATH wins over the editable install)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DAGSTER_"))}
    env["PYTHONPATH"] = str(repo_copy)
    env.update(extra)
    return env


def copy_build(built_repo: Path, folder: Path) -> dict[str, str]:
    """Copies of a built repository's two build files (contract and working steps, planwatch_core/paths.py) in
    `folder`, under their own names (catalog names in the views stay valid), and the dbt vars that point dbt at
    them and at the repository's landing."""
    folder.mkdir(parents=True, exist_ok=True)
    built = Paths.default(built_repo)
    for source in (built.build_db, built.working_db):
        shutil.copy(source, folder / source.name)
    return {
        "landing": str(built.landing),
        "build_db": str(folder / built.build_db.name),
        "working_db": str(folder / built.working_db.name),
    }


def run_planwatch(repo_copy: Path, *args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planwatch.cli", *args],
        cwd=repo_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def plan_text() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the repository on which `planwatch build` ran once, successfully."""
    repo_copy = copy_repo(tmp_path_factory.mktemp("repo"))
    result = run_planwatch(repo_copy, "build", "--quiet", env=pipeline_env(repo_copy))
    assert result.returncode == 0, f"planwatch build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return repo_copy


@pytest.fixture(scope="session")
def served_warehouse(built_repo: Path) -> Path:
    """Path of the served DuckDB file published by the session's build."""
    path = built_repo / "warehouse" / "serving" / "planwatch.duckdb"
    assert path.is_file()
    return path
