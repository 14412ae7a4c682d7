"""Which package imports which (read from the source, not by importing it): the core depends on none of the others,
there is no cycle, and no module writes os.environ (configuration is passed, never set).

`python tests/test_architecture.py` prints the graph."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("planwatch_core", "ingest", "orchestration", "superset_config", "planwatch")
CORE = "planwatch_core"
# the command line imports the others' subcommand modules by name (planwatch/cli.py COMMAND_MODULES)
NAMED_MODULE = re.compile(r"^(planwatch_core|ingest|orchestration|superset_config|planwatch)(\.[a-z_]+)+$")


def _sources(package: str) -> list[Path]:
    return [p for p in (REPO / package).rglob("*.py") if ".venv" not in p.parts]


def _is_module_name(text: str) -> bool:
    if not NAMED_MODULE.match(text):
        return False
    path = REPO.joinpath(*text.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_module_name(node.value):
            names.add(node.value)
    return names


def import_graph() -> dict[str, dict[str, list[str]]]:
    """package → imported package → the files that import it."""
    graph: dict[str, dict[str, list[str]]] = {p: {} for p in PACKAGES}
    for package in PACKAGES:
        for path in _sources(package):
            for name in _imported(ast.parse(path.read_text(encoding="utf-8"))):
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    graph[package].setdefault(top, []).append(path.relative_to(REPO).as_posix())
    return graph


def _cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, node])):
                return found
        state[node] = 2
        return None

    for start in graph:
        if start not in state and (found := visit(start, [])):
            return found
    return None


def test_core_imports_none_of_the_others():
    assert import_graph()[CORE] == {}


def test_no_package_cycle():
    graph = import_graph()
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_every_part_depends_on_the_core_and_nothing_depends_on_the_command_line():
    graph = import_graph()
    for package in ("ingest", "orchestration", "superset_config", "planwatch"):
        assert CORE in graph[package], package
    assert not [p for p in PACKAGES if "planwatch" in graph[p]]


def test_nothing_writes_the_environment():
    """No `os.environ[...] =`, `os.environ.update/setdefault/pop`, `os.putenv` in the product or its tests: a
    child process gets its own env dict instead."""
    pattern = r"os\.environ\[[^]]*\]\s*=[^=]|os\.environ\.(update|setdefault|pop|clear)\(|os\.putenv|os\.unsetenv"
    found = subprocess.run(
        ["git", "grep", "--untracked", "-nE", pattern, "--", "*.py", ":!tests/test_architecture.py"],
        cwd=REPO, capture_output=True, text=True, check=False,
    ).stdout
    assert found == "", found


def test_only_the_settings_read_planwatch_variables():
    """PLANWATCH_* variables are read in planwatch_core/settings.py only (the Superset-side modules, which run in
    Superset's own environment, and test/bench harnesses excepted)."""
    pattern = r"(environ(\.get)?\(|environ\[|getenv\()\s*\"PLANWATCH_"
    found = subprocess.run(
        ["git", "grep", "--untracked", "-nE", pattern, "--", "planwatch_core", "planwatch", "ingest", "orchestration",
         "superset_config/launcher.py"],
        cwd=REPO, capture_output=True, text=True, check=False,
    ).stdout
    assert found == "", found


if __name__ == "__main__":
    for package, imports in import_graph().items():
        print(f"{package} -> {', '.join(sorted(imports)) or '(nothing)'}")
        for target, files in sorted(imports.items()):
            print(f"    {target}: {', '.join(sorted(set(files)))}")
    sys.exit(0)
