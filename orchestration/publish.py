"""Safe publish: the served warehouse is only ever replaced whole, by an atomic rename of a finished,
checkpointed and verified build. Dashboards and SQL users keep reading the previous file until the rename,
and a run killed at any point before it leaves the served file exactly as it was."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from planwatch_core.faults import pause_point


@dataclass(frozen=True)
class PublishResult:
    served_path: Path
    size_bytes: int
    tables: dict[str, int]  # marts table → row count


def checkpoint(build_db: Path) -> None:
    """Drop the staging views and fold the write-ahead log into the file, so the single .duckdb file is the
    whole database. Staging views read the landing Parquet by path: served readers have no file access, and
    every intermediate and mart is a table, so nothing published depends on them."""
    connection = duckdb.connect(str(build_db))
    try:
        connection.execute("DROP SCHEMA IF EXISTS staging CASCADE")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    wal = build_db.with_name(build_db.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after CHECKPOINT; not publishing a partial database")


def mart_row_counts(db_path: Path) -> dict[str, int]:
    connection = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        return {
            name: int(connection.execute(f'select count(*) from marts."{name}"').fetchone()[0]) for (name,) in tables
        }
    finally:
        connection.close()


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(build_db: Path, served_db: Path) -> PublishResult:
    """Checkpoint the build, verify it opens read-only with marts, then atomically replace the served file."""
    if not build_db.exists():
        raise FileNotFoundError(f"no build at {build_db}: run the dbt build first")
    checkpoint(build_db)
    counts = mart_row_counts(build_db)
    if not counts:
        raise RuntimeError(f"{build_db} has no marts tables; refusing to publish it")
    served_db.parent.mkdir(parents=True, exist_ok=True)
    with build_db.open("rb") as handle:  # the bytes are on disk before the name points at them
        os.fsync(handle.fileno())
    pause_point("before_swap")
    os.replace(build_db, served_db)  # same filesystem: an atomic rename, readers see old or new, never half
    _fsync_dir(served_db.parent)
    return PublishResult(served_db, served_db.stat().st_size, counts)
