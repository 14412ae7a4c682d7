"""`dbt build` in a dbt process of the run's own (orchestration/dbt_worker.py), its results turned into Dagster
events by dagster-dbt's own translation as dbt reports them.

dagster-dbt 0.29 starts dbt as a second interpreter only when the step begins (`DbtCliResource.cli`), so every run
waits for dbt's imports and parse (≈ 2 s at any size, bench/RESULTS.md) on one core while the other is idle.
`planwatch build` instead starts the dbt process at its first line (DbtWorker.start) and has it parse the project at
once (DbtWorker.parse) and compile its macros: by the time the dbt step begins, dbt is ready. Runs that Dagster starts
(schedule, sensor, UI) start their dbt process when the step begins, as dagster-dbt would.

Every node result dbt reports is converted with dagster-dbt's `DbtCoreCliEventMessage`, exactly as
`dbt.cli(...).stream()` converts the JSON lines of its subprocess; the selection Dagster asks for (a subset of the
models, asset checks) comes from dagster-dbt's own `get_updated_cli_invocation_params_for_context`, so dbt gets the
arguments `dbt.cli` would give it. dbt's usual lines are relayed to this process's standard output
(`planwatch build --quiet` sends them to a log file); its log is dbt.log in the target folder."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration.dbt_worker import DbtWorker


class DbtBuildFailed(dg.Failure):
    """dbt reported an error: a model that did not build, a blocking test that failed, a project that did not parse,
    or the dbt process ended without reporting."""


def stream_dbt(
    worker: DbtWorker, args: Sequence[str], common: Sequence[str], context: dg.AssetExecutionContext, target_path: Path
) -> Iterator[Any]:
    """Run `dbt <args> <common>` for the assets `context` selects, yielding dagster-dbt's events for each node as
    dbt finishes it; raise DbtBuildFailed with dbt's error lines when dbt did not succeed."""
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
    command = [*cleaned, *params.selection_args]
    if params.indirect_selection:
        command += ["--indirect-selection", params.indirect_selection]
    outcome: dict[str, Any] = {}
    for reply in worker.build(command, common):
        if "done" in reply:
            outcome = reply["done"]
            parsed = "before the step" if outcome.get("parsed_before") else "in the step"
            context.log.info(
                f"dbt build: the project was parsed {parsed}; {outcome.get('macros_ready', 0)} macros were compiled "
                "before the step"
            )
            continue
        event = DbtCoreCliEventMessage(raw_event=reply["event"], event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            context=context,
            target_path=target_path,
            project=params.dbt_project,
        )
    _raise_unless_succeeded([*command, *common], outcome)


def _raise_unless_succeeded(arguments: Sequence[str], outcome: dict[str, Any]) -> None:
    if outcome.get("success"):
        return
    errors = list(outcome.get("errors") or [])
    exception = outcome.get("exception")
    lines = [*errors, *([exception] if exception and exception not in errors else [])]
    raise DbtBuildFailed(
        description=f"`dbt {arguments[0]}` failed:\n" + "\n".join(lines or ["dbt reported no error line"]),
        metadata={"dbt arguments": " ".join(arguments)},
    )
