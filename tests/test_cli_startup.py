"""The command line imports only what the command needs: `planwatch sql` or a no-change `planwatch build` must not
pay for Dagster, dbt and the readers (seconds of imports; bench/RESULTS.md)."""

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from planwatch.cli import COMMAND_MODULES, COMMAND_OWNERS, _qualify

REPO = Path(__file__).resolve().parents[1]


def test_the_owner_table_matches_what_each_module_registers():
    registered: dict[str, str] = {}
    subparsers = argparse.ArgumentParser().add_subparsers()
    for module_name in COMMAND_MODULES:
        before = set(subparsers.choices)
        importlib.import_module(_qualify(module_name)).register(subparsers)
        registered |= {command: module_name for command in set(subparsers.choices) - before}
    assert registered == COMMAND_OWNERS


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_parsing_a_command_imports_only_its_module():
    loaded = _modules_after("from planwatch.cli import build_parser; build_parser('build').parse_args(['build'])")
    assert "orchestration.cli" in loaded
    assert not loaded & {"dagster", "dagster_dbt", "dbt", "pandas", "pyarrow", "ingest.landing"}
