"""What a build is made of: the landed tables, the dbt project and the tool versions. If the served warehouse was
built from the same fingerprint, rebuilding it would publish the same rows, so a no-change rerun can stop early."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import duckdb

from planwatch_core.paths import Paths

DBT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests")


def build_fingerprint(paths: Paths, dbt_project_dir: Path) -> str:
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    files = sorted(paths.landing.glob("*/*.parquet")) if paths.landing.is_dir() else []
    for name in DBT_SOURCES:
        target = dbt_project_dir / name
        files += sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def served_fingerprint(served_db: Path) -> str | None:
    """The fingerprint the served warehouse was built from (marts.meta_build), or None."""
    if not served_db.exists():
        return None
    try:
        connection = duckdb.connect(str(served_db), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = connection.execute("select build_fingerprint from marts.meta_build").fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None
    finally:
        connection.close()
