"""One `planwatch build`, measured from the outside: the very command a statistician or the nightly schedule runs,
in a fresh process, timed from process start to exit (the served file is renamed into place just before it exits).

    PLANWATCH_INBOX=… PLANWATCH_CATALOG=… PLANWATCH_WAREHOUSE=… \\
        uv run python bench/pipeline_run.py OUT.json [DAGSTER_HOME]

Nothing is wrapped around the command (no in-process job, no extra imports), so lazy imports, a cached dbt
manifest or a check that stops before Dagster starts all show in the figure. The command runs with DAGSTER_HOME set
to the installation's own Dagster instance (SQLite, configured by orchestration/dagster.yaml, as
`planwatch services start` configures the nightly schedule's instance), so the run's event log survives the process:
the seconds per step and the run's own start and end are read from it afterwards (without DAGSTER_HOME on the
command line: a temporary instance, removed after the run), and whatever the command does
outside the run (process start, imports, definitions, its summary) is wall time − run time. Whether it published is
read from the served file itself (its inode or mtime changed). bench/run_all.py uses the same functions, with the
process tree's peak memory (its `measured`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build_command() -> list[str]:
    """`planwatch build --quiet` of the environment this script runs in (its console script, else `python -m`)."""
    script = Path(sys.executable).with_name("planwatch")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "planwatch.cli"]
    return [*command, "build", "--quiet"]


def prepare_dagster_home(home: Path) -> Path:
    """A Dagster instance folder configured like the services' one (orchestration/dagster.yaml)."""
    from orchestration.instance import write_instance_config

    return write_instance_config(home)


def last_run(home: Path, after_run_ids: set[str] | None = None) -> dict:
    """Seconds per step, the run's own duration and status of the newest run in the instance at `home` (none
    when the command stopped before starting a Dagster run)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs or (after_run_ids is not None and runs[0].run_id in after_run_ids):
            return {"dagster_run": False, "steps": {}}
        run = runs[0]
        stats = instance.get_run_stats(run.run_id)
        steps = {
            s.step_key: round(s.end_time - s.start_time, 3)
            for s in sorted(instance.get_run_step_stats(run.run_id), key=lambda s: s.start_time or 0)
            if s.start_time and s.end_time
        }
        run_s = stats.end_time - stats.start_time if stats.start_time and stats.end_time else None
        return {
            "dagster_run": True,
            "run_id": run.run_id,
            "run_status": run.status.value,
            "run_s": round(run_s, 3) if run_s is not None else None,
            "steps": steps,
            "skipped_steps": stats.steps_failed,
        }


def run_ids(home: Path) -> set[str]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        return {r.run_id for r in instance.get_runs()}


def served_state(served: Path) -> tuple[int, int] | None:
    """(inode, mtime_ns) of the served file: a publish replaces it by a rename, so the pair changes."""
    try:
        stat = served.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def summarise(wall_s: float, rc: int, before: tuple | None, after: tuple | None, run: dict) -> dict:
    """What run_all.py records of one build: wall time, success, whether it published, the run's steps."""
    run_s = run.get("run_s")
    return {
        "wall_s": round(wall_s, 2),
        "rc": rc,
        "success": rc == 0,
        "published": after is not None and after != before,
        "outside_run_s": round(wall_s - run_s, 3) if run_s is not None else round(wall_s, 3),
    } | run


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="pipeline_run_dagster_") as tmp:
        home = prepare_dagster_home(Path(argv[1]) if len(argv) > 1 else Path(tmp))
        warehouse = Path(os.environ.get("PLANWATCH_WAREHOUSE") or REPO / "warehouse")
        served = warehouse / "serving" / "planwatch.duckdb"
        before, known = served_state(served), run_ids(home)
        env = dict(os.environ, DAGSTER_HOME=str(home))
        started = time.perf_counter()
        proc = subprocess.run(build_command(), cwd=REPO, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        report = summarise(wall, proc.returncode, before, served_state(served), last_run(home, known))
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report, indent=1))
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
