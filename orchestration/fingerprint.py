"""What a build is made of, and what the next build has to redo.

- `input_fingerprint`: the inbox, the catalog and the project digest (the dbt project, the readers' code, the
  tool versions and the year: which plan is in force depends on it). Cheap (no Parquet, no Dagster):
  `planwatch build` compares it with the one the served warehouse was built from and stops before importing the
  pipeline when nothing changed.
- `build_fingerprint`: the landed tables dbt reads plus the project digest; recorded in marts.meta_build.
- `BuiltState` / `plan_build`: the build file is kept from run to run. After every successful `dbt build` the
  digests of the landed tables it was built from are saved beside it; the next run rebuilds only the models
  downstream of the tables whose digest changed (the others are passed to dbt as `--exclude`), and everything
  when the project digest or the catalog changed, when the build file is missing, or on --force. A run that is
  killed or fails saves nothing, so the next run redoes the same selection: the build file may hold half a
  run's models, but never a state that claims more than it holds.
- Region scope: when only figure tables changed (bulletins, published figures, submissions; the plans and the
  catalog did not), the per-region models do not rebuild their whole table: the saved state also holds a digest
  per region of the input files whose landed rows name it (`region_digests`), and the regions whose digest
  changed are landed as the run's scope (orchestration/resources.py write_run_context). Those models replace
  only the rows of those regions (dbt_project/macros/changed_scope.sql); the cross-region models (peers,
  coverage, scorecards) rebuild whole. A change of a plan rebuilds everything: plans define the indicators the
  per-region models are keyed by.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb

from planwatch_core.paths import REPO_ROOT, Paths, file_identity, identity_text, stat_identity

DBT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests", "seeds")
PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
READER_CODE = ("ingest",)  # the readers: a new version of one re-reads the inbox
# landed tables whose change invalidates more than the rows of the files that changed (mappings, attributes)
CATALOG_PREFIX = "catalog_"
# landed tables of figures whose rows each name their region: a change of them is applied region by region
REGION_TABLES = ("bulletin_figures", "published_figures", "submission_values")
# landed tables read only by models that rebuild whole (the file list and the row rejections)
WHOLE_TABLES = ("input_files", "rejections")
NO_REGION = ""  # the digest key of rows that name no region: a change of them rebuilds everything
STATE_NAME = "built_state.json"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and ".venv" not in p.parts) if folder.is_dir() else []


def _digest_files(digest, files: list[Path], root: Path) -> None:
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:  # vanished between listing and reading: the next run sees the change
            content = b"unreadable"
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(content).digest())


def project_digest(dbt_project_dir: Path, today: date | None = None) -> str:
    """The dbt project's files, the readers' code (a new reader rewrites landed rows of unchanged input files, which
    incremental models key by file), the tool versions and the year (dim_plan's plan in force, the freshness
    test). A change of any of them rebuilds everything."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    digest.update(f"year={(today or date.today()).year}\0".encode())
    files = [f for name in DBT_SOURCES for f in _files(dbt_project_dir / name)]
    _digest_files(digest, files, dbt_project_dir)
    for package in READER_CODE:
        _digest_files(digest, _files(REPO_ROOT / package, "*.py"), REPO_ROOT)
    return digest.hexdigest()


def input_fingerprint(paths: Paths, dbt_project_dir: Path, today: date | None = None) -> str:
    """Everything a build reads before landing: every file under the inbox and the catalog (over-counting a README
    only costs a rebuild) and the project digest (models, readers, versions, year)."""
    digest = hashlib.sha256(project_digest(dbt_project_dir, today).encode())
    for label, folder in (("inbox", paths.inbox), ("catalog", paths.catalog)):
        digest.update(f"[{label}]".encode())
        for name, identity in _tree_identities(folder):
            digest.update(f"{name}\0{identity}\0".encode())
    return digest.hexdigest()


def _tree_identities(folder: Path) -> list[tuple[str, str]]:
    """(path relative to `folder`, stat identity) of every file under it, in path order. os.scandir's entries
    carry their type and one stat each; pathlib's rglob, is_file, sorting and relative_to cost 0.5 s for the
    24,000 inbox files of 3,000 regions, on every run, including the one that finds nothing to do."""
    if folder.is_file():
        return [(folder.name, _stat_identity(folder))]
    found: list[tuple[str, str]] = []
    prefix = len(os.path.join(str(folder), ""))
    for root, dirs, _ in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".venv"]
        with os.scandir(root) as entries:
            for entry in entries:
                if not entry.is_file():
                    continue
                try:
                    identity = identity_text(stat_identity(entry.stat()))
                except OSError:
                    identity = "missing"
                found.append((entry.path[prefix:], identity))
    return sorted(found)


def _stat_identity(path: Path) -> str:
    """planwatch_core.paths.file_identity as text: a file added, removed, replaced or rewritten in place changes
    it, without reading the file (the inbox of 10,000 regions is 1 GB: hashing it made a no-change run take 17 s).
    Landing still hashes every file it lands (ingest/landing.py); this only decides whether to start at all."""
    try:
        return identity_text(file_identity(path))
    except OSError:
        return "missing"


def landed_files(paths: Paths) -> dict[str, list[Path]]:
    """landing table → the Parquet files dbt reads of it (the sources' external_location: <table>/*.parquet)."""
    if not paths.landing.is_dir():
        return {}
    tables: dict[str, list[Path]] = {}
    for folder in sorted(p for p in paths.landing.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        tables[folder.name] = sorted(folder.glob("*.parquet"))
    return tables


def landed_digests(paths: Paths) -> dict[str, str]:
    """landing table → digest of its files' names, sizes, modification times and inodes. Landing writes every
    file it changes to a temporary name and renames it into place (ingest/landing.py), so a changed file is a new
    inode: its stat identifies it without reading the bytes (265 MB at 3,000 regions)."""
    result = {}
    for table, files in landed_files(paths).items():
        digest = hashlib.sha256()
        for path in files:
            digest.update(f"{path.name}\0{_stat_identity(path)}\0".encode())
        result[table] = digest.hexdigest()
    return result


def build_fingerprint(project: str, tables: dict[str, str]) -> str:
    digest = hashlib.sha256(project.encode())
    for table, value in sorted(tables.items()):
        digest.update(f"{table}={value}\0".encode())
    return digest.hexdigest()


def region_digests(paths: Paths) -> dict[str, str]:
    """region code (NO_REGION for rows without one) → digest of the input files whose landed rows in the figure
    tables name it. Reads two columns of the compacted landing (≈ 21,000 files at 3,000 regions: a fraction of a
    second in DuckDB)."""
    selects = [
        f"select '{table}' as landed_table, region_code, input_sha256 "
        f"from read_parquet('{paths.landing / table}/*.parquet', union_by_name = true)"
        for table in REGION_TABLES
        if any((paths.landing / table).glob("*.parquet"))
    ]
    if not selects:
        return {}
    connection = duckdb.connect()
    try:
        rows = connection.execute(
            f"""select coalesce(region_code, '{NO_REGION}'),
                       sha256(string_agg(landed_table || ':' || input_sha256, ',' order by landed_table, input_sha256))
                from (select distinct * from ({" union all ".join(selects)})) group by all"""
        ).fetchall()
    finally:
        connection.close()
    return {str(region): str(digest) for region, digest in rows}


@dataclass(frozen=True)
class BuiltState:
    """What the build file was last successfully built from: the project digest, the landed tables' digests and
    the digest of each region's input files (`region_digests`)."""

    project: str
    tables: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] | None = None  # None: a state saved before regions were recorded

    @classmethod
    def load(cls, build_dir: Path) -> BuiltState | None:
        try:
            data = json.loads((build_dir / STATE_NAME).read_text(encoding="utf-8"))
            regions = data.get("regions")
            return cls(
                project=str(data["project"]),
                tables={str(k): str(v) for k, v in data["tables"].items()},
                regions=None if regions is None else {str(k): str(v) for k, v in regions.items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, build_dir: Path) -> None:
        target = build_dir / STATE_NAME
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(json.dumps(asdict(self), indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, target)

    @staticmethod
    def forget(build_dir: Path) -> None:
        (build_dir / STATE_NAME).unlink(missing_ok=True)


@dataclass(frozen=True)
class BuildPlan:
    full: bool
    changed_tables: tuple[str, ...]
    reason: str
    # the regions whose rows the per-region models replace (an incremental build; empty when no figure changed)
    changed_regions: tuple[str, ...] = ()

    def sources(self) -> list[str]:
        """The dbt sources whose change this build applies (the run's own row is new every run)."""
        return [*(f"source.planwatch.landing.{t}" for t in self.changed_tables), "source.planwatch.pipeline.runs"]

    def exclusions(self, manifest: dict) -> list[str]:
        """Models and seeds NOT downstream of the changed sources, to pass as `--exclude` (dagster-dbt always
        adds its own `--select fqn:*`, so the build is narrowed by excluding, not by selecting). Empty for a
        full build. A test is run when its models are: one tying a rebuilt model to a kept one (relationships)
        runs again on the next full build."""
        if self.full:
            return []
        children = manifest.get("child_map", {})
        reached: set[str] = set()
        pending = [s for s in self.sources() if s in children]
        while pending:
            node = pending.pop()
            for child in children.get(node, ()):
                if child not in reached:
                    reached.add(child)
                    pending.append(child)
        kept = [
            node["name"]
            for unique_id, node in manifest.get("nodes", {}).items()
            if node.get("resource_type") in ("model", "seed", "snapshot") and unique_id not in reached
        ]
        return sorted(kept)


def plan_build(
    previous: BuiltState | None,
    project: str,
    tables: dict[str, str],
    build_db_usable: bool,
    force: bool = False,
    regions: dict[str, str] | None = None,
) -> BuildPlan:
    """Full or incremental, and why, and which regions an incremental build replaces (pure: the caller reads the
    state and the files; `regions` is `region_digests` now, needed only when a figure table changed)."""
    if force:
        return BuildPlan(True, (), "--force: everything is rebuilt")
    if previous is None or not build_db_usable:
        return BuildPlan(True, (), "no usable build file from an earlier run: everything is built")
    if previous.project != project:
        return BuildPlan(True, (), "the dbt project, the tool versions or the year changed: everything is rebuilt")
    changed = tuple(sorted(t for t in set(tables) | set(previous.tables) if tables.get(t) != previous.tables.get(t)))
    catalog = [t for t in changed if t.startswith(CATALOG_PREFIX)]
    if catalog:
        return BuildPlan(True, changed, f"the catalog changed ({', '.join(catalog)}): everything is rebuilt")
    unscoped = [t for t in changed if t not in REGION_TABLES + WHOLE_TABLES]
    if unscoped:
        reason = f"{', '.join(unscoped)} changed (plans define the indicators): everything is rebuilt"
        return BuildPlan(True, changed, reason)
    if not any(t in REGION_TABLES for t in changed):
        return BuildPlan(False, changed, f"incremental: {', '.join(changed) or 'no landed table'} changed")
    if previous.regions is None or regions is None:
        return BuildPlan(True, changed, "no region digests from the last build: everything is rebuilt")
    before = previous.regions
    touched = tuple(sorted(r for r in set(regions) | set(before) if regions.get(r) != before.get(r)))
    if NO_REGION in touched:
        return BuildPlan(True, changed, "figures that name no region changed: everything is rebuilt")
    return BuildPlan(
        False,
        changed,
        f"incremental: {', '.join(changed)} changed; rows of {len(touched)} region(s) replaced"
        + (f" ({', '.join(touched[:5])}{' …' if len(touched) > 5 else ''})" if touched else ""),
        touched,
    )


def build_db_usable(build_db: Path, working_db: Path) -> bool:
    """The kept build files exist and the contract file opens with the tables of an earlier build (a killed run may
    leave it half-written; DuckDB rolls back what was not committed)."""
    if not (build_db.exists() and working_db.exists()):
        return False
    try:
        connection = duckdb.connect(str(build_db), read_only=True)
    except duckdb.Error:
        return False
    try:
        count = connection.execute("select count(*) from duckdb_tables() where schema_name = 'marts'").fetchone()[0]
        return count > 0
    except duckdb.Error:
        return False
    finally:
        connection.close()


def served_fingerprints(served_db: Path) -> tuple[str | None, str | None]:
    """(build fingerprint, input fingerprint) the served warehouse was built from (marts.meta_build), or Nones."""
    if not served_db.exists():
        return None, None
    try:
        connection = duckdb.connect(str(served_db), read_only=True)
    except duckdb.Error:
        return None, None
    try:
        row = connection.execute("select build_fingerprint, input_fingerprint from marts.meta_build").fetchone()
        return (row[0], row[1]) if row else (None, None)
    except duckdb.Error:
        return None, None
    finally:
        connection.close()
