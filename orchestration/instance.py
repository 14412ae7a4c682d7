"""The Dagster instance of `planwatch build` and the services: its configuration (orchestration/dagster.yaml, written
into the instance folder, DAGSTER_HOME) and the clean-up of runs whose process died."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch_core.paths import REPO_ROOT

if TYPE_CHECKING:
    from dagster import DagsterInstance

INSTANCE_TEMPLATE = REPO_ROOT / "orchestration" / "dagster.yaml"
HOME_TOKEN = "<DAGSTER_HOME>"  # in the template: Dagster's yaml cannot name a folder relative to the instance's own


def write_instance_config(home: Path) -> Path:
    """`home`/dagster.yaml from orchestration/dagster.yaml with `home` filled in; rewritten only when it differs."""
    home.mkdir(parents=True, exist_ok=True)
    folder = json.dumps(str(home.resolve()), ensure_ascii=False)[1:-1]  # escaped for the template's quoted string
    text = INSTANCE_TEMPLATE.read_text(encoding="utf-8").replace(HOME_TOKEN, folder)
    target = home / "dagster.yaml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return home


# Tags of a run started by `planwatch build`: which process runs it, so a later build can tell it has died.
PID_TAG = "planwatch/pid"
HOST_TAG = "planwatch/host"


def run_tags() -> dict[str, str]:
    """The tags `planwatch build` gives its run."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def release_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed the runs of `planwatch build` on this machine whose process is gone (killed, or the machine
    restarted) and free the warehouse-writer slots they held; returns a line per run for the terminal.

    Dagster frees the slots of a run its daemon launched when the run's worker dies; a run executed in the CLI's
    own process has no such watcher, so a killed build kept its slot and the next build waited for it forever."""
    from dagster._core.storage.dagster_run import DagsterRunStatus, RunsFilter

    released = []
    stale = instance.get_runs(
        filters=RunsFilter(
            statuses=[DagsterRunStatus.STARTING, DagsterRunStatus.STARTED],
            tags={HOST_TAG: socket.gethostname()},
        )
    )
    for run in stale:
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid <= 0 or _alive(pid):
            continue
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        instance.report_run_failed(run, f"its process {pid} stopped before the run finished (killed or restarted)")
        released.append(f"run {run.run_id} (process {pid}) had stopped without finishing: marked failed, slot freed")
    return released
