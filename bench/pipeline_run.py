"""One run of the nightly job in this process (what `planwatch build` does), with the duration of every step.

    PLANWATCH_INBOX=… PLANWATCH_CATALOG=… PLANWATCH_WAREHOUSE=… uv run python bench/pipeline_run.py OUT.json

Same job, same ephemeral Dagster instance and same success rule as `planwatch build` (orchestration/cli.py); it
also writes what the benchmark needs: step durations from the run's event log, whether it published, failed checks.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dagster as dg  # noqa: E402

from orchestration.cli import run_config  # noqa: E402
from orchestration.definitions import build_definitions  # noqa: E402
from planwatch_core.settings import Settings  # noqa: E402


def main(out: Path) -> int:
    settings = Settings.from_environment()
    defs = build_definitions(settings)
    imported = time.perf_counter() - STARTED
    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("nightly")
    t0 = time.perf_counter()
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config(settings, quiet=True),
    )
    run_s = time.perf_counter() - t0
    steps = {
        s.step_key: round(s.end_time - s.start_time, 3)
        for s in instance.get_run_step_stats(result.run_id)
        if s.start_time and s.end_time
    }
    checks = [
        {
            "asset": e.asset_check_evaluation_data.asset_key.to_user_string(),
            "check": e.asset_check_evaluation_data.check_name,
            "severity": str(e.asset_check_evaluation_data.severity),
        }
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    ]
    failures = [
        f"{e.step_key}: {e.event_specific_data.error.message.strip()[:500]}"
        for e in result.all_events
        if e.is_step_failure
    ]
    report = {
        "success": result.success,
        "published": any(e.is_step_success and e.step_key == "published_warehouse" for e in result.all_events),
        "import_s": round(imported, 3),
        "run_s": round(run_s, 3),
        "steps": steps,
        "failed_checks": checks,
        "step_failures": failures,
    }
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
