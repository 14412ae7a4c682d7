"""`dbt docs generate` works on a copy of the kept build file (never on the served file: dbt opens it for writing)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_build

pytestmark = pytest.mark.slow


def test_dbt_docs_generate(built_repo, tmp_path):
    variables = json.dumps(copy_build(built_repo, tmp_path / "build"))  # the kept build files
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "docs", "generate", "--profiles-dir", ".", "--target-path", str(tmp_path / "target"),
         "--vars", variables],
        cwd=built_repo / "dbt_project", env=dict(os.environ), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    # Parse rather than grep: dbt may write non-ASCII text as \\u escapes.
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    progress = next(n for n in catalog["nodes"].values() if n["metadata"]["name"] == "fct_indicator_progress")
    assert {"indicator_id", "status"} <= {c.lower() for c in progress["columns"]}
    dim = manifest["nodes"]["model.planwatch.dim_indicator"]
    assert dim["columns"]["indicator_id"]["meta"]["label_zh"] == "指标编号"
    assert dim["columns"]["indicator_id"]["description"].startswith("指标编号")
