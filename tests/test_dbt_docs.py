"""`dbt docs generate` works on a build of the warehouse (never on the served file: dbt opens it for writing)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_dbt_docs_generate(built_repo, tmp_path):
    database = tmp_path / "docs.duckdb"
    shutil.copy(built_repo / "warehouse" / "serving" / "planwatch.duckdb", database)
    env = dict(os.environ, PLANWATCH_LANDING=str(built_repo / "warehouse" / "landing"),
               PLANWATCH_BUILD_DB=str(database))
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "docs", "generate", "--profiles-dir", ".", "--target-path", str(tmp_path / "target")],
        cwd=built_repo / "dbt_project", env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    catalog = (tmp_path / "target" / "catalog.json").read_text(encoding="utf-8")
    assert "fct_indicator_progress" in catalog and "指标编号" in (tmp_path / "target" / "manifest.json").read_text()
