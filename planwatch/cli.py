"""`planwatch`: the product's command line. Each module registers its own subcommands, so the command line
mirrors the architecture (ingest parses, orchestration builds, superset_config presents)."""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
import threading

from planwatch_core.errors import InputError, SettingsError
from planwatch_core.settings import Settings

# Modules that contribute subcommands; each exposes `register(subparsers)`. A subcommand's handler returns
# the process exit code.
COMMAND_MODULES = (
    "ingest.plan_cli",
    "ingest.bulletins.cli",
    "ingest.submissions_cli",
    "orchestration.cli",
    "orchestration.services",
    "warehouse_cli",
    "data_dictionary",
    "superset_config.launcher",
)
# Which module registers which subcommand: `planwatch build` imports the pipeline, `planwatch sql` does not
# (tests/test_statistician_commands.py checks this table against what the modules register).
COMMAND_OWNERS = {
    "parse-plan": "ingest.plan_cli",
    "catalog": "ingest.plan_cli",
    "extract": "ingest.bulletins.cli",
    "template": "ingest.submissions_cli",
    "check-submission": "ingest.submissions_cli",
    "build": "orchestration.cli",
    "history": "orchestration.cli",
    "services": "orchestration.services",
    "sql": "warehouse_cli",
    "report": "warehouse_cli",
    "docs": "data_dictionary",
    "superset": "superset_config.launcher",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or only the module of `command` (its imports are all that command pays for)."""
    parser = argparse.ArgumentParser(
        prog="planwatch",
        description="Plan-monitoring warehouse for Qianjiang District (黔江区) five-year plans.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    owner = COMMAND_OWNERS.get(command or "")
    for module_name in (owner,) if owner else COMMAND_MODULES:
        try:
            module = importlib.import_module(_qualify(module_name))
        except ModuleNotFoundError as exc:
            if exc.name and _qualify(module_name).startswith(exc.name):
                continue  # that part of the product is not installed yet
            raise
        module.register(subparsers)
    return parser


def _qualify(module_name: str) -> str:
    return module_name if "." in module_name else f"planwatch.{module_name}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None))
    args = parser.parse_args(argv)
    try:
        # the one Settings of this process, from the environment; handlers take what the command line changes
        args.settings = Settings.from_environment()
        return int(args.handler(args) or 0)
    except (InputError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `planwatch … | head`: the reader has what it wanted
        sys.stderr.close()
        return 0


def run() -> None:
    """The console script: `main`, then the exit without the interpreter's teardown. After a build the process
    holds millions of objects (dbt's manifest, Dagster's definitions and events); freeing them one by one took
    1.4 s of a 21 s new-bulletin build at 3,000 regions (bench/RESULTS.md), and nothing in them is still to be
    written: the warehouse files are committed and closed, the run's events are in Dagster's storage. The exit
    handlers still run (log files, temporary folders); when a thread other than this one is still at work, the
    ordinary exit waits for it."""
    code = main()
    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
