"""The Dagster instance of builds and services (orchestration/instance.py) and its event log
(orchestration/event_log_storage.py): Dagster's SQLite files, connections kept open.

Real Dagster instances on disk, configured by write_instance_config as the services' and `planwatch build`'s are;
a second instance object on the same folder stands for another process (the Dagster UI, the daemon)."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.dagster_run import DagsterRunStatus

from orchestration.event_log_storage import MAX_OPEN_SHARDS, PooledSqliteEventLogStorage
from orchestration.instance import (
    HOME_TOKEN,
    HOST_TAG,
    PID_TAG,
    release_dead_runs,
    run_tags,
    wait_for_other_runs,
    write_instance_config,
)
from orchestration.locking import WarehouseBusy
from orchestration.resources import WRITER_POOL


@dg.asset
def landed_rows() -> int:
    return 3


@dg.asset
def counted_rows(landed_rows: int) -> int:
    return landed_rows * 2


@dg.asset_check(asset=counted_rows)
def counted_rows_positive(counted_rows: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=counted_rows > 0)


def _job() -> dg.JobDefinition:
    defs = dg.Definitions(assets=[landed_rows, counted_rows], asset_checks=[counted_rows_positive])
    return defs.resolve_implicit_global_asset_job_def()


def _instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(write_instance_config(home)))


def test_the_written_config_names_the_instances_own_folder(tmp_path: Path) -> None:
    home = tmp_path / "实例 home"  # a space and CJK in the path survive the yaml
    write_instance_config(home)
    text = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert HOME_TOKEN not in text
    assert f'base_dir: "{home.resolve()}/history/runs"' in text
    with _instance(home) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        assert instance.event_log_storage._base_dir == str(home.resolve() / "history" / "runs")


def test_a_run_is_readable_by_another_instance_while_the_writer_keeps_its_connections(tmp_path: Path) -> None:
    with _instance(tmp_path) as writer:
        result = _job().execute_in_process(instance=writer)
        assert result.success
        with _instance(tmp_path) as reader:  # another process's view of the same files
            event = reader.get_latest_materialization_event(dg.AssetKey("counted_rows"))
            assert event is not None and event.run_id == result.run_id
            check = reader.event_log_storage.get_latest_asset_check_execution_by_key([counted_rows_positive.check_key])[
                counted_rows_positive.check_key
            ]
            assert check.run_id == result.run_id and check.status.value == "SUCCEEDED"
            types = {e.dagster_event_type for e in reader.all_logs(result.run_id) if e.dagster_event_type}
            assert {
                dg.DagsterEventType.ASSET_MATERIALIZATION,
                dg.DagsterEventType.ASSET_CHECK_EVALUATION,
                dg.DagsterEventType.RUN_SUCCESS,
            } <= types
    runs = tmp_path / "history" / "runs"
    # closing the instances closed the last connections, which checkpoints every WAL into its database file
    assert sorted(p.name for p in runs.glob("*-wal")) == []
    assert (runs / f"{result.run_id}.db").stat().st_size > 0


def test_a_watcher_in_another_instance_sees_each_event_as_it_is_committed(tmp_path: Path) -> None:
    """The Dagster UI follows a running run by watching its files: commits on a connection kept open change only
    the -wal file, which the watcher must notice too."""
    with _instance(tmp_path) as writer, _instance(tmp_path) as ui:
        run = writer.create_run_for_job(_job())
        writer.report_engine_event("first", run)  # the run's shard exists, its connection stays open
        seen: queue.Queue[str] = queue.Queue()

        def follow(entry, _cursor) -> None:
            seen.put(entry.dagster_event.message if entry.dagster_event else entry.user_message)

        ui.watch_event_logs(run.run_id, None, follow)
        time.sleep(0.5)  # the watcher's observer thread is scheduled
        writer.report_engine_event("second", run)
        messages: list[str] = []
        deadline = time.monotonic() + 20
        while "second" not in messages and time.monotonic() < deadline:
            try:
                messages.append(seen.get(timeout=0.5))
            except queue.Empty:
                continue
        assert "second" in messages, f"the watcher saw {messages}"
        ui.end_watch_event_logs(run.run_id, follow)


def test_engines_are_kept_for_a_bounded_number_of_files(tmp_path: Path) -> None:
    with _instance(tmp_path) as instance:
        storage = instance.event_log_storage
        run_ids = []
        for i in range(MAX_OPEN_SHARDS + 4):
            run = instance.create_run_for_job(_job(), run_id=f"00000000-0000-0000-0000-{i:012d}")
            instance.report_engine_event(f"run {i}", run)
            run_ids.append(run.run_id)
        assert len(storage._engines) <= MAX_OPEN_SHARDS
        # an evicted file is opened again when it is read
        messages = [e.dagster_event.message for e in instance.all_logs(run_ids[0]) if e.dagster_event]
        assert "run 0" in messages


@pytest.mark.parametrize("table", ["asset_check_executions", "concurrency_limits"])
def test_table_checks_answer_from_the_index(tmp_path: Path, table: str) -> None:
    with _instance(tmp_path) as instance:
        assert instance.event_log_storage.has_table(table)
        assert not instance.event_log_storage.has_table("no_such_table")


def test_a_built_secondary_index_is_asked_once_and_asset_records_still_follow_new_materializations(
    tmp_path: Path,
) -> None:
    with _instance(tmp_path) as instance:
        storage = instance.event_log_storage
        assert storage.has_secondary_index("asset_key_index_columns")  # built when the index file was created
        assert not storage.has_secondary_index("no_such_index")
        assert "secondary_index.asset_key_index_columns" in storage._present
        assert "secondary_index.no_such_index" not in storage._present  # a no is asked again
        first = dg.materialize([landed_rows, counted_rows], instance=instance)
        second = dg.materialize([landed_rows, counted_rows], instance=instance)
        # the records Dagster reads for data versions come from the index, as the cached answer says they may
        (record,) = instance.get_asset_records([counted_rows.key])
        assert record.asset_entry.last_materialization_record.run_id == second.run_id != first.run_id


def test_a_killed_builds_run_is_marked_failed_and_its_writer_slot_freed(tmp_path: Path) -> None:
    """A `planwatch build` killed mid-run keeps its warehouse-writer slot; the next build frees it (else it
    would wait for the slot forever) and marks the run failed. Runs whose process lives, or of another machine,
    are left alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    with _instance(tmp_path) as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WRITER_POOL, 1)
        started = DagsterRunStatus.STARTED

        def run(pid: int, on: str) -> dg.DagsterRun:
            return instance.create_run_for_job(_job(), status=started, tags={PID_TAG: str(pid), HOST_TAG: on})

        killed, running, elsewhere = run(dead.pid, host), run(os.getpid(), host), run(dead.pid, "another-host")
        claim = storage.claim_concurrency_slot(WRITER_POOL, killed.run_id, "planwatch_dbt_models")
        assert claim.is_claimed

        lines = release_dead_runs(instance)

        assert lines == [
            f"run {killed.run_id} (process {dead.pid}) had stopped without finishing: marked failed, slot freed"
        ]
        assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(running.run_id).status == started
        assert instance.get_run_by_id(elsewhere.run_id).status == started
        assert storage.get_concurrency_info(WRITER_POOL).claimed_slots == []
        assert storage.claim_concurrency_slot(WRITER_POOL, running.run_id, "planwatch_dbt_models").is_claimed
        assert release_dead_runs(instance) == []
        assert run_tags() == {PID_TAG: str(os.getpid()), HOST_TAG: host}


def test_a_build_waits_for_a_running_one_saying_so_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    job = _job()
    started = DagsterRunStatus.STARTED
    with _instance(tmp_path) as instance:
        said: list[str] = []
        wait_for_other_runs(instance, job.name, 5.0, said.append, poll_s=0.05)  # nothing running: no wait
        assert said == []

        running = instance.create_run_for_job(job, status=started, tags=run_tags())  # alive: this process
        with pytest.raises(WarehouseBusy, match=f"run {running.run_id} .planwatch build, process {os.getpid()}"):
            wait_for_other_runs(instance, job.name, 0.3, said.append, poll_s=0.05, report_every_s=0.1)
        assert said and all(line.startswith(f"waiting for run {running.run_id}") for line in said)

        # the other run ends while this one waits: the wait ends with it
        threading.Timer(0.5, instance.report_run_failed, args=(running,)).start()
        begun = time.monotonic()
        wait_for_other_runs(instance, job.name, 20.0, said.append, poll_s=0.05)
        assert 0.4 < time.monotonic() - begun < 10
        # another job's runs and a dead build's run are not waited for
        instance.create_run_for_job(job, status=started, tags={**run_tags(), PID_TAG: "999999999"})
        wait_for_other_runs(instance, "nightly", 0.2, said.append, poll_s=0.05)
        wait_for_other_runs(instance, job.name, 0.2, said.append, poll_s=0.05)
        assert any("had stopped without finishing" in line for line in said)
