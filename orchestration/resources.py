"""Dagster resources: where this installation keeps its inbox, catalog and warehouse, and the dbt project."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from planwatch import paths as paths_module
from planwatch.paths import REPO_ROOT, Paths

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# Steps that write the warehouse share this concurrency pool; the instance limits every pool to 1 (dagster.yaml).
WRITER_POOL = "warehouse_writer"


class WarehouseResource(dg.ConfigurableResource):
    """Folders of the installation; empty fields mean 'from the environment or the repo' (planwatch/paths.py)."""

    inbox: str = ""
    warehouse: str = ""
    catalog: str = ""
    force_rebuild: bool = False  # rebuild even when nothing changed since the served build
    lock_timeout_s: float = 120.0  # how long a step waits for another writer before retrying with back-off

    def paths(self) -> Paths:
        default = paths_module.current()
        return Paths(
            inbox=Path(self.inbox) if self.inbox else default.inbox,
            warehouse=Path(self.warehouse) if self.warehouse else default.warehouse,
            catalog=Path(self.catalog) if self.catalog else default.catalog,
        )

    def dbt_env(self) -> None:
        """dbt reads the landing folder and the build file from the environment (see dbt_project/profiles.yml)."""
        paths = self.paths()
        os.environ["PLANWATCH_LANDING"] = str(paths.landing)
        os.environ["PLANWATCH_BUILD_DB"] = str(paths.build_db)


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests"):
        files += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in files if p.exists())


def ensure_manifest(project: DbtProject) -> Path:
    """`dbt parse` when the manifest is missing or older than the project's files (Dagster reads the asset graph
    from it); the run itself always lets dbt re-parse as needed."""
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(Path(project.project_dir)):
        project.preparer.prepare(project)
    return manifest


def dbt_resource() -> DbtCliResource:
    executable = Path(os.sys.executable).with_name("dbt")  # the environment's own dbt, whatever the PATH says
    return DbtCliResource(
        project_dir=dbt_project,
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )
