"""Dagster resources: where this installation keeps its inbox, catalog and warehouse, and the dbt project.

Nothing here reads or writes the environment: build_definitions (orchestration/definitions.py) fills the
resources from a Settings (planwatch_core/settings.py), a run can change them through its run config
(`--force` is `resources.warehouse.config.force_rebuild`), and dbt gets what it needs as `--vars`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.dbt_arguments import DBT_GLOBAL_FLAGS
from orchestration.fingerprint import DBT_PROJECT_DIR
from planwatch_core.paths import Paths
from planwatch_core.settings import Settings

# Steps that write the warehouse share this concurrency pool; the instance limits every pool to 1 (dagster.yaml).
WRITER_POOL = "warehouse_writer"


class WarehouseResource(dg.ConfigurableResource):
    """Folders of the installation (empty: the repository's own) and how a run treats them."""

    inbox: str = ""
    warehouse: str = ""
    catalog: str = ""
    force_rebuild: bool = False  # rebuild even when nothing changed since the served build
    lock_timeout_s: float = 120.0  # how long a step waits for another writer before retrying with back-off
    # what `planwatch build` found before landing (orchestration/fingerprint.py input_fingerprint), recorded in
    # marts.meta_build so that the next `planwatch build` can stop early; empty for runs Dagster starts
    input_fingerprint: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            inbox=str(settings.paths.inbox),
            warehouse=str(settings.paths.warehouse),
            catalog=str(settings.paths.catalog),
            force_rebuild=settings.force_rebuild,
            lock_timeout_s=settings.lock_timeout_s,
        )

    def paths(self) -> Paths:
        default = Paths.default()
        return Paths(
            inbox=Path(self.inbox) if self.inbox else default.inbox,
            warehouse=Path(self.warehouse) if self.warehouse else default.warehouse,
            catalog=Path(self.catalog) if self.catalog else default.catalog,
        )


@dataclass(frozen=True)
class RunContext:
    """The run's own row, read by marts.meta_build through source pipeline.runs (stg_pipeline__runs), and the
    regions whose rows this build replaces, read by the per-region models through source
    pipeline.changed_regions (dbt_project/macros/changed_scope.sql; orchestration/fingerprint.py plan_build)."""

    run_id: str
    build_fingerprint: str
    input_fingerprint: str = ""
    changed_regions: tuple[str, ...] = ()


def run_context_path(paths: Paths) -> Path:
    return paths.landing / "_run" / "runs.parquet"


def changed_regions_path(paths: Paths) -> Path:
    return paths.landing / "_run" / "changed_regions.parquet"


def _write_parquet(target: Path, query: str, parameters: list) -> None:
    """Written to a temporary name and renamed into place: dbt never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    connection = duckdb.connect()
    try:
        connection.execute(f"copy ({query}) to '{temporary}' (format parquet)", parameters)
    finally:
        connection.close()
    os.replace(temporary, target)


def write_run_context(paths: Paths, run: RunContext) -> Path:
    _write_parquet(
        run_context_path(paths),
        "select ?::varchar as run_id, ?::varchar as build_fingerprint, ?::varchar as input_fingerprint",
        [run.run_id, run.build_fingerprint, run.input_fingerprint],
    )
    _write_parquet(
        changed_regions_path(paths),
        "select unnest(?::varchar[]) as region_code",
        [list(run.changed_regions)],
    )
    return run_context_path(paths)


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds"):
        files += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in files if p.exists())


def ensure_manifest(project: DbtProject) -> Path:
    """`dbt parse` when the manifest is missing or older than the project's files (Dagster reads the asset graph
    from it); the run itself always lets dbt re-parse as needed. Called when the definitions are built, never
    on import."""
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(Path(project.project_dir)):
        dbt_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return manifest


class PlanwatchDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, for the `dbt parse` that ensure_manifest runs when the project changed (a run's
    dbt commands go to its dbt process: orchestration/dbt_worker.py), with two start-up costs removed (2–10 s,
    measured in bench/RESULTS.md): it ran `dbt --version` in a subprocess to learn the version of the dbt it is
    about to start, and opened a dbt adapter in this process, which is used only to fetch column metadata (we
    fetch none). The executable is this environment's own dbt, so its version is the installed dbt-core's."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_resource(project: DbtProject) -> DbtCliResource:
    executable = Path(sys.executable).with_name("dbt")  # the environment's own dbt, whatever the PATH says
    return PlanwatchDbtCliResource(
        project_dir=project,
        dbt_executable=str(executable) if executable.exists() else "dbt",
        global_config_flags=list(DBT_GLOBAL_FLAGS),
    )
