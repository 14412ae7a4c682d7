"""Run-history retention (orchestration/run_history.py): which finished runs are deleted, with their event-log files,
by the weekly run_history job and by `planwatch history`. Real Dagster instances on disk, configured as the
services' are (orchestration/dagster.yaml)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from orchestration.instance import write_instance_config
from orchestration.jobs import run_history_job, run_history_schedule
from orchestration.run_history import Retention, prune_run_history, runs_to_prune
from planwatch import cli


@dg.asset
def bulletins_landed() -> int:
    return 1


@dg.asset
def plans_landed() -> int:
    return 2


@dg.asset
def broken_step() -> int:
    raise RuntimeError("a step that fails, as a night with a bad catalog does")


DEFS = dg.Definitions(
    assets=[bulletins_landed, plans_landed, broken_step],
    jobs=[
        dg.define_asset_job("everything", selection=["bulletins_landed", "plans_landed"]),
        dg.define_asset_job("bulletins_only", selection=["bulletins_landed"]),
        dg.define_asset_job("failing", selection=["broken_step"]),
    ],
)


def _instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(write_instance_config(home)))


def _run(instance: dg.DagsterInstance, job: str) -> str:
    return DEFS.resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False).run_id


def _shard(home: Path, run_id: str) -> Path:
    return home / "history" / "runs" / f"{run_id}.db"


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Five finished runs, oldest first: everything, bulletins_only twice, a failure, bulletins_only."""
    home = tmp_path / "dagster"
    with _instance(home) as instance:
        names = ["everything", "bulletins_a", "bulletins_b", "failed", "bulletins_latest"]
        jobs = ["everything", "bulletins_only", "bulletins_only", "failing", "bulletins_only"]
        runs = {name: _run(instance, job) for name, job in zip(names, jobs, strict=True)}
    return home, runs


def _age(home: Path, run_ids: list[str], days: int) -> None:
    """Make runs look `days` old (Dagster's run storage keeps naive UTC times)."""
    when = (datetime.now(UTC) - timedelta(days=days)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(home / "history" / "runs.db") as db:
        db.executemany("update runs set update_timestamp = ? where run_id = ?", [(when, r) for r in run_ids])


def test_old_runs_go_but_never_the_latest_build_of_an_asset_or_a_job(history) -> None:
    home, runs = history
    later = datetime.now(UTC) + timedelta(days=100)
    with _instance(home) as instance:
        # `everything` holds plans_landed's latest materialization and is its job's latest success;
        # `bulletins_latest` holds bulletins_landed's; the failure and the two older bulletin runs may go
        assert runs_to_prune(instance, Retention(keep_days=90, keep_runs=1), now=later) == [
            runs["bulletins_a"],
            runs["bulletins_b"],
            runs["failed"],
        ]
        assert runs_to_prune(instance, Retention(keep_days=90, keep_runs=3), now=later) == [runs["bulletins_a"]]
        assert runs_to_prune(instance, Retention(keep_days=90, keep_runs=1)) == []  # all younger than 90 days
        lines: list[str] = []
        pruned = prune_run_history(instance, Retention(keep_days=90, keep_runs=1), lines.append, now=later)
        assert pruned.run_ids == [runs["bulletins_a"], runs["bulletins_b"], runs["failed"]]
        assert pruned.kept == 2 and pruned.bytes_freed > 0
        assert "5 finished runs; deleting 3" in lines[0]
        left = {r.run_id for r in instance.get_runs()}
        assert left == {runs["everything"], runs["bulletins_latest"]}
        assert instance.get_latest_materialization_event(dg.AssetKey("plans_landed")).run_id == runs["everything"]
    for name, run_id in runs.items():  # the event-log file of a deleted run is gone, not left empty
        assert _shard(home, run_id).exists() == (run_id in left), name


def test_the_weekly_job_deletes_what_is_past_the_retention(history) -> None:
    home, runs = history
    _age(home, list(runs.values()), days=120)
    with _instance(home) as instance:
        result = run_history_job.execute_in_process(
            instance=instance, run_config={"ops": {"prune_run_history_op": {"config": {"keep_runs": 1}}}}
        )
        assert result.success
        left = {r.run_id for r in instance.get_runs()}
        # the two protected runs and the pruning run itself
        assert left == {runs["everything"], runs["bulletins_latest"], result.run_id}
        logged = [e.message for e in instance.all_logs(result.run_id) if "runs deleted," in (e.message or "")]
        assert logged and logged[0].startswith("run history: 3 runs deleted, 2 kept")
    assert run_history_schedule.job_name == "run_history"
    assert run_history_schedule.execution_timezone == "Asia/Shanghai"
    assert run_history_schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_the_command_says_what_it_would_delete_and_refuses_a_retention_of_nothing(
    history, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, runs = history
    _age(home, [runs["bulletins_a"], runs["failed"]], days=365)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert cli.main(["history", "--keep-runs", "1", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would delete 2" in out and "2 runs would be deleted" in out
    assert all(_shard(home, r).exists() for r in runs.values())
    assert cli.main(["history", "--keep-runs", "1"]) == 0
    assert "2 runs deleted, 3 finished runs kept" in capsys.readouterr().out
    assert not _shard(home, runs["failed"]).exists()
    assert cli.main(["history", "--keep-days", "0"]) == 2
    assert "keep at least one day and one run" in capsys.readouterr().err
    monkeypatch.setenv("DAGSTER_HOME", str(home.parent / "never-used"))
    assert cli.main(["history"]) == 0
    assert "nothing to delete" in capsys.readouterr().out
