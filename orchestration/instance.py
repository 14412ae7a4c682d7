"""The Dagster instance of `planwatch build` and the services: its configuration (orchestration/dagster.yaml, written
into the instance folder, DAGSTER_HOME) and the clean-up of runs whose process died."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.locking import WarehouseBusy
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
    from dagster import DagsterRunStatus, RunsFilter

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


def wait_for_other_runs(
    instance: DagsterInstance,
    job_name: str,
    timeout_s: float,
    report: Callable[[str], None],
    poll_s: float = 1.0,
    report_every_s: float = 15.0,
) -> None:
    """Return when no other run of `job_name` is starting or running in this instance, saying every
    `report_every_s` what it waits for; raise WarehouseBusy after `timeout_s`.

    Without this a second build waited inside Dagster's executor for the warehouse-writer slot, using a core and
    printing nothing. Runs whose process died are released first (release_dead_runs), so they are not waited for."""
    from dagster import DagsterRunStatus, RunsFilter

    started = time.monotonic()
    next_report = started
    while True:
        for line in release_dead_runs(instance):
            report(line)
        running = instance.get_runs(
            filters=RunsFilter(job_name=job_name, statuses=[DagsterRunStatus.STARTING, DagsterRunStatus.STARTED])
        )
        if not running:
            return
        waited = time.monotonic() - started
        names = ", ".join(f"{run.run_id} ({_who(run.tags)})" for run in running)
        if waited > timeout_s:
            raise WarehouseBusy(
                f"run {names} has been writing the warehouse for over {timeout_s:.0f}s; wait for it to finish "
                "(Dagster UI, Runs) and run planwatch build again, or stop it there if it hangs "
                "(PLANWATCH_LOCK_TIMEOUT_S sets how long to wait)"
            )
        if time.monotonic() >= next_report:
            report(
                f"waiting for run {names}, which is writing the warehouse ({waited:.0f}s of at most {timeout_s:.0f}s)"
            )
            next_report += report_every_s
        time.sleep(poll_s)


def _who(tags: Mapping[str, str]) -> str:
    if PID_TAG in tags:
        return f"planwatch build, process {tags[PID_TAG]} on {tags.get(HOST_TAG, '?')}"
    return tags.get("dagster/sensor_name") or tags.get("dagster/schedule_name") or "started from the Dagster UI"
