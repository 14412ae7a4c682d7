"""The settings of one planwatch process, typed, built ONCE from the environment (and then the command line) and
passed on: to Dagster as resources and run config, to dbt as `--vars`, to child processes as their environment.

This module is the only one that reads PLANWATCH_* variables, and nothing writes them: a step never changes
os.environ to tell the next one something (tests/test_architecture.py greps for it).

The environment variables it reads (the documented inputs of an installation):

    PLANWATCH_INBOX, PLANWATCH_WAREHOUSE, PLANWATCH_CATALOG   folders (default: the repository's inbox/, warehouse/,
                                                             catalog/)
    PLANWATCH_LOCAL            local state of the services (default <repo>/.local): Superset metadata, logs, PIDs
    DAGSTER_HOME               the Dagster instance (default $PLANWATCH_LOCAL/dagster for the services; none →
                               an ephemeral instance for `planwatch build`)
    PLANWATCH_LOCAL_DEMO       1: demo users (Leader, Statistician) on a local installation
    PLANWATCH_ADMIN_USER, PLANWATCH_ADMIN_PASSWORD, PLANWATCH_DEMO_PASSWORD, PLANWATCH_USER_PASSWORD   Superset accounts
    PLANWATCH_DAGSTER_PORT, PLANWATCH_SUPERSET_PORT, PLANWATCH_SUPERSET_WORKERS   services
    PLANWATCH_LOCK_TIMEOUT_S   how long a step waits for another writer of the warehouse (default 120)
    PLANWATCH_LANDING_WORKERS  parser processes for large inboxes (default min(4, cores))
    PLANWATCH_PAUSE_AT, PLANWATCH_PAUSE_MARKER   kill-test pause points (planwatch_core/faults.py)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from planwatch_core.errors import SettingsError
from planwatch_core.paths import REPO_ROOT, Paths

TRUE_WORDS = ("1", "true", "yes", "on")


def _path(environ: Mapping[str, str], name: str, default: Path) -> Path:
    value = environ.get(name, "").strip()
    return Path(value).resolve() if value else default


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in TRUE_WORDS


def _number(environ: Mapping[str, str], name: str, default: float, kind: type = int):
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a number; unset it or give a number") from None


@dataclass(frozen=True)
class PausePoint:
    """Kill tests only: stop at the point named `at`, after writing the PID to `marker`."""

    at: str = ""
    marker: str = ""


@dataclass(frozen=True)
class Settings:
    paths: Paths = field(default_factory=Paths.default)
    local_dir: Path = REPO_ROOT / ".local"
    dagster_home: Path | None = None
    force_rebuild: bool = False
    lock_timeout_s: float = 120.0
    landing_workers: int = 0  # 0: automatic, min(4, cores)
    local_demo: bool = False
    admin_user: str = ""
    admin_password: str = ""
    demo_password: str = ""
    user_password: str = ""  # for `planwatch superset user add` without a terminal
    dagster_port: int = 3000
    superset_port: int = 8088
    superset_workers: int = 2
    pause: PausePoint = field(default_factory=PausePoint)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        local = _path(env, "PLANWATCH_LOCAL", REPO_ROOT / ".local")
        home = env.get("DAGSTER_HOME", "").strip()
        return cls(
            paths=Paths(
                inbox=_path(env, "PLANWATCH_INBOX", REPO_ROOT / "inbox"),
                warehouse=_path(env, "PLANWATCH_WAREHOUSE", REPO_ROOT / "warehouse"),
                catalog=_path(env, "PLANWATCH_CATALOG", REPO_ROOT / "catalog"),
            ),
            local_dir=local,
            dagster_home=Path(home).resolve() if home else None,
            lock_timeout_s=_number(env, "PLANWATCH_LOCK_TIMEOUT_S", 120.0, float),
            landing_workers=max(0, _number(env, "PLANWATCH_LANDING_WORKERS", 0)),
            local_demo=_flag(env, "PLANWATCH_LOCAL_DEMO"),
            admin_user=env.get("PLANWATCH_ADMIN_USER", "").strip(),
            admin_password=env.get("PLANWATCH_ADMIN_PASSWORD", ""),
            demo_password=env.get("PLANWATCH_DEMO_PASSWORD", ""),
            user_password=env.get("PLANWATCH_USER_PASSWORD", ""),
            dagster_port=_number(env, "PLANWATCH_DAGSTER_PORT", 3000),
            superset_port=_number(env, "PLANWATCH_SUPERSET_PORT", 8088),
            superset_workers=max(1, _number(env, "PLANWATCH_SUPERSET_WORKERS", 2)),
            pause=PausePoint(at=env.get("PLANWATCH_PAUSE_AT", ""), marker=env.get("PLANWATCH_PAUSE_MARKER", "")),
        )

    def with_(self, **changes) -> Settings:
        """A copy with some fields changed (e.g. the command line's --force)."""
        return replace(self, **changes)

    @property
    def service_dagster_home(self) -> Path:
        """The Dagster instance the long-running services use."""
        return self.dagster_home or self.local_dir / "dagster"

    def effective_landing_workers(self) -> int:
        return self.landing_workers or min(4, os.cpu_count() or 1)
