"""Where things live. Every path can be moved with an environment variable, so tests and benchmarks run
against their own inbox and warehouse and never touch the real ones."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

INPUT_KINDS = ("plans", "bulletins", "submissions", "published")


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


@dataclass(frozen=True)
class Paths:
    """The folders of one installation (the real one, a test's, or a benchmark's)."""

    inbox: Path
    warehouse: Path
    catalog: Path

    @property
    def landing(self) -> Path:
        return self.warehouse / "landing"

    @property
    def build_dir(self) -> Path:
        return self.warehouse / "build"

    @property
    def build_db(self) -> Path:
        return self.build_dir / "planwatch.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.warehouse / "serving"

    @property
    def serving_db(self) -> Path:
        return self.serving_dir / "planwatch.duckdb"

    @property
    def state_dir(self) -> Path:
        return self.warehouse / "state"

    def inbox_dir(self, kind: str) -> Path:
        if kind not in INPUT_KINDS:
            raise ValueError(f"unknown input kind {kind!r}; expected one of {', '.join(INPUT_KINDS)}")
        return self.inbox / kind

    @property
    def indicator_catalog(self) -> Path:
        return self.catalog / "indicators.yaml"


def current() -> Paths:
    """Paths from the environment (PLANWATCH_INBOX, PLANWATCH_WAREHOUSE, PLANWATCH_CATALOG) or the repo."""
    return Paths(
        inbox=_env_path("PLANWATCH_INBOX", REPO_ROOT / "inbox"),
        warehouse=_env_path("PLANWATCH_WAREHOUSE", REPO_ROOT / "warehouse"),
        catalog=_env_path("PLANWATCH_CATALOG", REPO_ROOT / "catalog"),
    )
