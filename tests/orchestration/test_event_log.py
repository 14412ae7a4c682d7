"""The instance's event log (orchestration/event_log.py, configured by orchestration/dagster.yaml): runs executed
through it are stored in Dagster's own files and read back by another instance on the same folder, as the web UI
and the daemon read them; a watcher sees a run's events as they are stored (the UI's live log)."""

import shutil
import threading
from pathlib import Path

import dagster as dg

from orchestration.event_log import OPEN_DATABASES, PooledSqliteEventLogStorage

REPO = Path(__file__).resolve().parents[2]


@dg.asset
def counted(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    context.log.info("counting")
    return dg.MaterializeResult(metadata={"rows": 3})


def _instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def test_runs_are_stored_in_dagsters_layout_and_read_back_by_another_instance(tmp_path, monkeypatch):
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))  # the config's `env: DAGSTER_HOME`, as the services set it
    job = dg.define_asset_job("count_job", selection=[counted])
    definitions = dg.Definitions(assets=[counted], jobs=[job])
    run_ids = []
    with _instance(home) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        for _ in range(OPEN_DATABASES + 2):  # more runs than engines kept open: the oldest are closed and reopened
            result = definitions.resolve_job_def("count_job").execute_in_process(instance=instance)
            assert result.success
            run_ids.append(result.run_id)
        first = instance.get_records_for_run(run_ids[0]).records
        assert any(r.event_log_entry.user_message == "counting" for r in first)
    assert {p.stem for p in (home / "history" / "runs").glob("*.db")} == {*run_ids, "index"}
    with _instance(home) as reader:  # the web UI's view of the same folder
        latest = reader.get_latest_materialization_event(dg.AssetKey("counted"))
        assert latest is not None and latest.run_id == run_ids[-1]
        assert latest.asset_materialization.metadata["rows"] == dg.MetadataValue.int(3)
        assert len(reader.get_runs()) == len(run_ids)


def test_a_watcher_sees_a_runs_events_as_they_are_stored(tmp_path, monkeypatch):
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    job = dg.define_asset_job("count_job", selection=[counted])
    definitions = dg.Definitions(assets=[counted], jobs=[job])
    with _instance(home) as instance:
        first = definitions.resolve_job_def("count_job").execute_in_process(instance=instance)
        seen: list[str] = []
        arrived = threading.Event()

        def on_event(entry, cursor) -> None:
            message = entry.dagster_event.message if entry.dagster_event else entry.user_message
            seen.append(message)
            if message == "by hand":
                arrived.set()

        with _instance(home) as watcher:  # another process's storage watches the file, as the UI does
            watcher.event_log_storage.watch(first.run_id, None, on_event)
            try:
                instance.report_engine_event("by hand", instance.get_run_by_id(first.run_id))
                assert arrived.wait(timeout=20), seen
            finally:
                watcher.event_log_storage.end_watch(first.run_id, on_event)
