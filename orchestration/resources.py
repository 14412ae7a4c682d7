"""Dagster resources: where this installation keeps its inbox, catalog and warehouse, and the dbt project.

Nothing here reads or writes the environment: build_definitions (orchestration/definitions.py) fills the
resources from a Settings (planwatch_core/settings.py), a run can change them through its run config
(`--force` is `resources.warehouse.config.force_rebuild`), and dbt gets what it needs as `--vars`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from planwatch_core.paths import REPO_ROOT, Paths
from planwatch_core.settings import Settings

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# Steps that write the warehouse share this concurrency pool; the instance limits every pool to 1 (dagster.yaml).
WRITER_POOL = "warehouse_writer"


class WarehouseResource(dg.ConfigurableResource):
    """Folders of the installation (empty: the repository's own) and how a run treats them."""

    inbox: str = ""
    warehouse: str = ""
    catalog: str = ""
    force_rebuild: bool = False  # rebuild even when nothing changed since the served build
    lock_timeout_s: float = 120.0  # how long a step waits for another writer before retrying with back-off

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
class DbtVars:
    """What dbt reads of a run, passed as `--vars` (dbt_project/profiles.yml: build_db; models/staging/_sources.yml:
    landing; marts/meta_build: run_id, build_fingerprint). Nothing reaches dbt through the environment."""

    landing: Path
    build_db: Path
    run_id: str = "manual"
    build_fingerprint: str = ""

    @classmethod
    def for_run(cls, paths: Paths, run_id: str = "manual", build_fingerprint: str = "") -> DbtVars:
        return cls(paths.landing, paths.build_db, run_id, build_fingerprint)

    def as_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}

    def cli_args(self) -> list[str]:
        return ["--vars", json.dumps(self.as_dict(), ensure_ascii=False)]


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


def dbt_resource(project: DbtProject) -> DbtCliResource:
    executable = Path(sys.executable).with_name("dbt")  # the environment's own dbt, whatever the PATH says
    return DbtCliResource(project_dir=project, dbt_executable=str(executable) if executable.exists() else "dbt")
