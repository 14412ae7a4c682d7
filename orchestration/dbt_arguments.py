"""The dbt arguments every command of a run gets, whatever it selects: kept free of Dagster and dbt imports, so that
`planwatch build` can hand them to its dbt process (orchestration/dbt_worker.py) before it imports either."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from orchestration.fingerprint import DBT_PROJECT_DIR
from planwatch_core.paths import Paths

# dbt.log at info, not debug: the debug log writes every statement of every node (11,000 lines a night at N = 1,
# 0.3-0.5 s of the build, by hand). Errors and node results stay in it; each model's SQL is in the target folder's
# run/ and compiled/.
DBT_GLOBAL_FLAGS = ("--log-level-file", "info")


@dataclass(frozen=True)
class DbtVars:
    """What dbt reads of an installation, passed as `--vars` (dbt_project/profiles.yml: build_db, working_db;
    models/staging/_sources.yml: landing). The same from run to run, so dbt can reuse its parse (partial parsing);
    what changes every run is landed as the run context (orchestration/resources.py write_run_context). Nothing
    reaches dbt through the environment."""

    landing: Path
    build_db: Path
    working_db: Path

    @classmethod
    def for_run(cls, paths: Paths) -> DbtVars:
        return cls(paths.landing, paths.build_db, paths.working_db)

    def as_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}

    def cli_args(self) -> list[str]:
        return ["--vars", json.dumps(self.as_dict(), ensure_ascii=False)]


def dbt_target_path(paths: Paths) -> Path:
    return paths.warehouse / "dbt_target"  # one per warehouse, reused run after run (partial parsing)


def common_arguments(variables: DbtVars, target_path: Path, project_dir: Path = DBT_PROJECT_DIR) -> list[str]:
    """The vars, the global flags, and as flags what dagster-dbt's `dbt.cli` would pass through the environment
    (project, profiles, target and log folders, no usage statistics). A parse with these arguments is the parse the
    build would do."""
    return [
        *variables.cli_args(),
        *DBT_GLOBAL_FLAGS,
        *("--project-dir", str(project_dir), "--profiles-dir", str(project_dir)),
        *("--target-path", str(target_path), "--log-path", str(target_path)),
        "--no-send-anonymous-usage-stats",
        "--no-use-colors",
    ]


def run_dbt_arguments(paths: Paths) -> list[str]:
    """What every dbt command of a run of this installation gets: what its dbt process parses with at the start of
    `planwatch build` is what the dbt step asks it to build with."""
    return common_arguments(DbtVars.for_run(paths), dbt_target_path(paths))
