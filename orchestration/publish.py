"""Safe publish: the served warehouse is only ever replaced whole, by an atomic rename of a finished, verified
file. Dashboards and SQL users keep reading the previous file until the rename, and a run killed at any point
before it leaves the served file exactly as it was.

What is published is the contract: the schemas of SERVED_SCHEMAS (marts, presentation, reference), copied table by
table from the build file into a new file. The working tables (staging views over the landing Parquet,
intermediate tables) stay in the build file, which is kept from run to run so that dbt rebuilds only what changed;
statisticians can still open it read-only (warehouse/README.md)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from planwatch_core.faults import pause_point
from superset_config.sql_gate import SERVED_SCHEMAS as _SERVED

# The schemas with contracts (dbt_project/models/marts, presentation; seeds in reference): what the SQL gate serves
SERVED_SCHEMAS = tuple(sorted(_SERVED))


@dataclass(frozen=True)
class PublishResult:
    served_path: Path
    size_bytes: int
    tables: dict[str, int]  # marts table → row count


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_contract(connection: duckdb.DuckDBPyConnection, source: str) -> None:
    """Tables first (with their comments: the data dictionary statisticians read), then views, which DuckDB
    binds when they are created."""
    schemas = ", ".join(_literal(s) for s in SERVED_SCHEMAS)
    tables = connection.execute(
        f"select schema_name, table_name, comment from duckdb_tables() where database_name = ? "
        f"and schema_name in ({schemas}) order by all",
        [source],
    ).fetchall()
    for schema in SERVED_SCHEMAS:
        connection.execute(f"create schema if not exists {_quote(schema)}")
    for schema, table, comment in tables:
        target = f"{_quote(schema)}.{_quote(table)}"
        connection.execute(f"create table {target} as select * from {_quote(source)}.{target}")
        if comment:
            connection.execute(f"comment on table {target} is {_literal(comment)}")
        columns = connection.execute(
            "select column_name, comment from duckdb_columns() where database_name = ? and schema_name = ? "
            "and table_name = ? and comment is not null",
            [source, schema, table],
        ).fetchall()
        for column, column_comment in columns:
            connection.execute(f"comment on column {target}.{_quote(column)} is {_literal(column_comment)}")
    views = connection.execute(
        f"select schema_name, view_name, sql, comment from duckdb_views() where database_name = ? "
        f"and schema_name in ({schemas}) and not internal order by all",
        [source],
    ).fetchall()
    for schema, view, sql, comment in views:
        connection.execute(sql)  # refers to "planwatch"."marts"...: the new file has the same catalog name
        if comment:
            connection.execute(f"comment on view {_quote(schema)}.{_quote(view)} is {_literal(comment)}")


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


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_served_copy(build_db: Path, target: Path) -> None:
    """A new DuckDB file at `target` holding SERVED_SCHEMAS of `build_db`, checkpointed (no .wal beside it).
    `target` must be named like the served file: published views name their catalog (the file's stem)."""
    if target.name != build_db.name:
        raise ValueError(f"{target} must be named {build_db.name}: views refer to the catalog by the file's name")
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)
    connection = duckdb.connect(str(target))
    try:
        connection.execute(f"attach {_literal(str(build_db))} as planwatch_build (read_only)")
        _copy_contract(connection, "planwatch_build")
        connection.execute("detach planwatch_build")
        connection.execute("checkpoint")
    finally:
        connection.close()
    wal = target.with_name(target.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after CHECKPOINT; not publishing a partial database")


def publish(build_db: Path, served_db: Path) -> PublishResult:
    """Copy the contract schemas of the build into a new file, verify it opens read-only with marts, then
    atomically replace the served file. The build file stays as it is for the next, incremental run."""
    if not build_db.exists():
        raise FileNotFoundError(f"no build at {build_db}: run the dbt build first")
    # a folder of its own on the served file's filesystem: the copy keeps the served file's name (its catalog)
    staging_dir = served_db.parent / ".publishing"
    shutil.rmtree(staging_dir, ignore_errors=True)  # what a killed run left; never read by anyone
    staging_dir.mkdir(parents=True)
    staged = staging_dir / served_db.name
    write_served_copy(build_db, staged)
    counts = mart_row_counts(staged)
    if not counts:
        raise RuntimeError(f"{build_db} has no marts tables; refusing to publish it")
    _fsync(staged)  # the bytes are on disk before the name points at them
    pause_point("before_swap")
    os.replace(staged, served_db)  # same filesystem: an atomic rename, readers see old or new, never half
    _fsync(served_db.parent)
    staging_dir.rmdir()
    return PublishResult(served_db, served_db.stat().st_size, counts)
