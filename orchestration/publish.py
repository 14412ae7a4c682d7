"""Safe publish: the served warehouse is only ever replaced whole, by an atomic rename of a finished, verified
file. Dashboards and SQL users keep reading the previous file until the rename, and a run killed at any point
before it leaves the served file exactly as it was.

What is published is the contract: the schemas of SERVED_SCHEMAS (marts, presentation, reference), which dbt builds
in a file of their own (build/planwatch.duckdb; dbt_project/profiles.yml attaches it). Publishing checkpoints that
file and copies it whole: 0.3 s for the 480 MB of 3,000 regions, where copying it table by table into a new file
took 7.6 s (bench/RESULTS.md). When dbt's replaced tables have left much of the file free, or the file holds
anything outside the contract, the tables are copied one by one into a new, compact file instead. The working
tables (staging views over the landing Parquet, intermediate tables) stay in build/working.duckdb. Both build files
are kept from run to run so that dbt rebuilds only what changed; statisticians can still open them read-only
(warehouse/README.md)."""

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
# Above this share of free blocks in the contract file (space of tables dbt replaced), a compact copy is published
# instead of the file itself, so the served file stays near the contract's own size however many runs it took.
COMPACT_ABOVE_FREE_SHARE = 0.5


@dataclass(frozen=True)
class PublishResult:
    served_path: Path
    size_bytes: int
    tables: dict[str, int]  # marts table → row count
    method: str  # how the served file was made: the contract file copied whole, or compacted table by table


@dataclass(frozen=True)
class ContractFile:
    """The contract file as publishing finds it, checkpointed."""

    free_share: float  # free blocks ÷ all blocks
    outside: tuple[str, ...]  # tables and views outside SERVED_SCHEMAS (none unless something wrote there)

    def compact_reason(self) -> str | None:
        """Why the tables must be copied into a new file rather than the file copied whole; None: copy it whole."""
        if self.outside:
            return f"the build file also holds {', '.join(self.outside[:3])}, which is not published"
        if self.free_share > COMPACT_ABOVE_FREE_SHARE:
            return f"{self.free_share:.0%} of the build file is space of replaced tables"
        return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SERVED_LIST = ", ".join(_literal(s) for s in SERVED_SCHEMAS)  # SQL `in (…)` list of the served schemas


def _copy_contract(connection: duckdb.DuckDBPyConnection, source: str) -> None:
    """Tables first (with their comments: the data dictionary statisticians read), then views, which DuckDB
    binds when they are created."""
    tables = connection.execute(
        f"select schema_name, table_name, comment from duckdb_tables() where database_name = ? "
        f"and schema_name in ({_SERVED_LIST}) order by all",
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
        f"and schema_name in ({_SERVED_LIST}) and not internal order by all",
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


def checkpointed(build_db: Path) -> ContractFile:
    """Fold the contract file's WAL into it (dbt has finished and closed it; the caller holds the writer lock) and
    say how full it is and whether it holds anything outside the contract."""
    connection = duckdb.connect(str(build_db))
    try:
        connection.execute("checkpoint")
        total, free = connection.execute(
            "select total_blocks, free_blocks from pragma_database_size() where database_name = current_database()"
        ).fetchone()
        outside = connection.execute(
            f"select schema_name || '.' || table_name from duckdb_tables() where database_name = current_database() "
            f"and schema_name not in ({_SERVED_LIST}) "
            "union all select schema_name || '.' || view_name from duckdb_views() "
            f"where database_name = current_database() and not internal and schema_name not in ({_SERVED_LIST}) "
            "order by 1"
        ).fetchall()
    finally:
        connection.close()
    wal = build_db.with_name(build_db.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after CHECKPOINT; not publishing a partial database")
    return ContractFile(free / total if total else 0.0, tuple(name for (name,) in outside))


def publish(build_db: Path, served_db: Path) -> PublishResult:
    """Copy the contract file of the build (whole, or compacted: ContractFile.compact_reason), verify the copy opens
    read-only with marts, then atomically replace the served file. The build files stay as they are for the next,
    incremental run."""
    if not build_db.exists():
        raise FileNotFoundError(f"no build at {build_db}: run the dbt build first")
    # a folder of its own on the served file's filesystem: the copy keeps the served file's name (its catalog)
    staging_dir = served_db.parent / ".publishing"
    shutil.rmtree(staging_dir, ignore_errors=True)  # what a killed run left; never read by anyone
    staging_dir.mkdir(parents=True)
    staged = staging_dir / served_db.name
    reason = checkpointed(build_db).compact_reason()
    if reason is None:
        shutil.copyfile(build_db, staged)
    else:
        write_served_copy(build_db, staged)
    method = "file copy" if reason is None else f"compacted: {reason}"
    counts = mart_row_counts(staged)
    if not counts:
        raise RuntimeError(f"{build_db} has no marts tables; refusing to publish it")
    _fsync(staged)  # the bytes are on disk before the name points at them
    pause_point("before_swap")
    os.replace(staged, served_db)  # same filesystem: an atomic rename, readers see old or new, never half
    _fsync(served_db.parent)
    staging_dir.rmdir()
    return PublishResult(served_db, served_db.stat().st_size, counts, method)
