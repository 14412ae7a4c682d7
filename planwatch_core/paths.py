"""Where things live: the folders of one installation (the real one, a test's or a benchmark's)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

INPUT_KINDS = ("plans", "bulletins", "submissions", "published")


@dataclass(frozen=True)
class Paths:
    """The folders of one installation. Built by planwatch_core.settings from the command line and the
    environment, or directly by a test; `Paths.default()` is the repository's own."""

    inbox: Path
    warehouse: Path
    catalog: Path

    @classmethod
    def default(cls, root: Path = REPO_ROOT) -> Paths:
        return cls(inbox=root / "inbox", warehouse=root / "warehouse", catalog=root / "catalog")

    @property
    def landing(self) -> Path:
        return self.warehouse / "landing"

    @property
    def build_dir(self) -> Path:
        return self.warehouse / "build"

    @property
    def build_db(self) -> Path:
        """What dbt builds of the contract (schemas marts, presentation, reference): the file publishing copies."""
        return self.build_dir / "planwatch.duckdb"

    @property
    def working_db(self) -> Path:
        """dbt's working steps (staging views over the landing, intermediate tables), never published. dbt opens it
        as its main database and attaches build_db as catalog `planwatch` (dbt_project/profiles.yml)."""
        return self.build_dir / "working.duckdb"

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


def file_identity(path: Path) -> tuple[int, int, int]:
    """(size, modification time in ns, inode): changes when a file is added, replaced (a rename into place is a new
    inode) or rewritten, without reading it. The landing's stat cache and the no-change check both use it."""
    return stat_identity(path.stat())


def stat_identity(stat: os.stat_result) -> tuple[int, int, int]:
    """file_identity of a stat already taken (os.scandir's entries carry theirs)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def identity_text(identity: tuple[int, int, int]) -> str:
    """An identity as it goes into a digest: 'size:mtime_ns:inode'."""
    return ":".join(map(str, identity))


def current() -> Paths:
    """The paths of the settings read from the environment (planwatch_core/settings.py, the one place that
    reads it): for command handlers that were not handed a Settings."""
    from planwatch_core.settings import Settings

    return Settings.from_environment().paths
