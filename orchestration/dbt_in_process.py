"""`dbt build` inside the run's own process, its results turned into Dagster events by dagster-dbt's own translation.

dagster-dbt 0.29 always starts dbt as a second interpreter (`DbtCliResource.cli`). That interpreter re-imports dbt
and its adapters, which the run's process has already imported to load the definitions: 2 s of every run, a seventh
of one new bulletin at N = 1 (bench/RESULTS.md). Here dbt runs through its programmatic entry point (`dbtRunner`)
in a worker thread of this process; every node result dbt reports is converted with dagster-dbt's
`DbtCoreCliEventMessage`, exactly as `dbt.cli(...).stream()` converts the JSON lines of its subprocess, and yielded
as it arrives. The selection Dagster asks for (a subset of the models, asset checks) comes from dagster-dbt's own
`get_updated_cli_invocation_params_for_context`, so the same dbt arguments are built as `dbt.cli` would build.

dbt writes its usual lines to this process's standard output (`planwatch build --quiet` sends them to a log file)
and its debug log to dbt.log in the target folder, as before."""

from __future__ import annotations

import queue
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt_common.events.functions import msg_to_dict  # dbt's JSON log line as a dict, what dagster-dbt reads

# dbt's events that carry a node's result (what dagster-dbt turns into an Output or an asset check result)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
_DONE = object()


class DbtBuildFailed(dg.Failure):
    """dbt reported an error: a model that did not build, a blocking test that failed, a project that did not parse."""


@dataclass
class _Relay:
    """What dbt's threads report, handed to the thread that yields Dagster events."""

    events: queue.Queue = field(default_factory=queue.Queue)
    errors: list[str] = field(default_factory=list)

    def __call__(self, message: Any) -> None:  # dbt calls this from its worker threads, for every event
        info = message.info
        if info.level == "error" and info.msg:
            self.errors.append(info.msg)
        if info.name in RESULT_EVENTS:
            self.events.put(msg_to_dict(message))


def dbt_arguments(
    dbt: DbtCliResource,
    args: Sequence[str],
    selection_args: Sequence[str],
    indirect_selection: str | None,
    project_dir: Path,
    target_path: Path,
) -> list[str]:
    """The argument list dbt's own command line would get from `dbt.cli`, with what it passed through the
    environment (target and log folders, project and profiles folders, no usage statistics) as flags."""
    arguments = [*args, *dbt.global_config_flags, *selection_args]
    arguments += ["--project-dir", str(project_dir), "--target-path", str(target_path), "--log-path", str(target_path)]
    if dbt.profiles_dir:
        arguments += ["--profiles-dir", str(dbt.profiles_dir)]
    if indirect_selection:
        arguments += ["--indirect-selection", indirect_selection]
    return [*arguments, "--no-send-anonymous-usage-stats", "--no-use-colors"]


def _release_duckdb() -> None:
    """dbt-duckdb keeps its databases open in a class attribute after dbt returns (it closes them at interpreter
    exit). In this process the publish step opens the contract file next, to checkpoint and copy it; DuckDB refuses
    a second configuration of a file one process already holds, and a copy taken while dbt's handle is open could
    miss what is still in its WAL, so the handle is closed here."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()


def stream_dbt(
    dbt: DbtCliResource, args: Sequence[str], context: dg.AssetExecutionContext, target_path: Path
) -> Iterator[Any]:
    """Run `dbt <args>` for the assets `context` selects, yielding dagster-dbt's events for each node as dbt
    finishes it; raise DbtBuildFailed with dbt's error lines when dbt did not succeed."""
    from dbt.cli.main import dbtRunner  # dagster_dbt has imported dbt already: this costs no start-up

    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    with warnings.catch_warnings():  # dagster-dbt reads `context.op`, which Dagster marks deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        params = get_updated_cli_invocation_params_for_context(
            context=context,
            manifest={},
            dagster_dbt_translator=None,  # taken from the context's dbt assets
            runtime_selects=selects,
            runtime_excludes=excludes,
        )
    project_dir = Path(params.dbt_project.project_dir if params.dbt_project else dbt.project_dir)
    arguments = dbt_arguments(dbt, cleaned, params.selection_args, params.indirect_selection, project_dir, target_path)
    relay, outcome = _Relay(), {}

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[relay]).invoke(arguments)
        except BaseException as error:  # reported to the yielding thread, never lost in this one
            outcome["error"] = error
        finally:
            _release_duckdb()
            relay.events.put(_DONE)

    worker = threading.Thread(target=invoke, name="dbt", daemon=True)
    worker.start()
    try:
        while (raw := relay.events.get()) is not _DONE:
            event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
            yield from event.to_default_asset_events(
                manifest=params.manifest,
                dagster_dbt_translator=params.dagster_dbt_translator,
                context=context,
                target_path=target_path,
                project=params.dbt_project,
            )
    finally:
        # also when the step stops early: the caller's writer lock is held until dbt has stopped writing
        worker.join()
    _raise_unless_succeeded(arguments, outcome, relay.errors)


def _raise_unless_succeeded(arguments: Sequence[str], outcome: dict, errors: list[str]) -> None:
    result = outcome.get("result")
    if result is not None and result.success:
        return
    error = outcome.get("error") or (result.exception if result is not None else None)
    lines = [*errors, *([str(error)] if error is not None and str(error) not in errors else [])]
    raise DbtBuildFailed(
        description=f"`dbt {arguments[0]}` failed:\n" + "\n".join(lines or ["dbt reported no error line"]),
        metadata={"dbt arguments": " ".join(arguments)},
    )
