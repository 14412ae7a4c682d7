"""dbt's unit tests (the `unit_tests` of each folder's YAML: the progress method of SPEC §4 on fixed rows) run here
and in CI. The nightly build leaves them out (orchestration/assets_dbt.py NIGHTLY_EXCLUDE): data cannot change
their outcome, only a change of the models can, and a model change is tested before it is merged."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_build

pytestmark = pytest.mark.slow


def test_every_dbt_unit_test_passes(built_repo, tmp_path):
    # the kept build files: unit tests read the column types of the models' real parents
    variables = json.dumps(copy_build(built_repo, tmp_path / "build"))
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit", "--profiles-dir", ".", "--target-path",
         str(tmp_path / "target"), "--vars", variables],
        cwd=built_repo / "dbt_project", capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 13 and all(r["status"] == "pass" for r in unit), [
        (r["unique_id"], r["status"]) for r in unit if r["status"] != "pass"
    ]
    assert any("int_indicator_progress_computed" in r["unique_id"] for r in unit)
