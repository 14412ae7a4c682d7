"""Dagster's SQLite event log, with its connections kept open between events (orchestration/dagster.yaml).

Dagster's own `SqliteEventLogStorage` builds a new SQLAlchemy engine and opens a new SQLite connection for every
read and every write, and closing the last connection of a WAL database checkpoints it. A run stores about 400 events
and reads asset records before each materialization (data versions): by hand at N = 1, one new bulletin spent about
2 s of its 11-12 s there. Here each database file (Dagster calls them shards: the index and one per run) keeps one
engine with a small pool, so an event costs one commit into the open WAL. The files, tables and migrations are
Dagster's own; only the connection handling differs, so an instance can switch between the two classes either way.

Commits now stay in the -wal file until a checkpoint, so a watcher (the Dagster UI following a running run) is
woken by changes to the -wal file as well as to the database file.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.event_api import EventHandlerFn
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool
from watchdog.events import FileSystemEvent, PatternMatchingEventHandler
from watchdog.observers import Observer

# Engines kept at once. A run writes two shards (its own and the index); the UI reads one per run it shows.
# Evicted engines close their connections, so a long-lived webserver keeps at most this many files open.
MAX_OPEN_SHARDS = 16


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SQLite event log storage that reuses one engine and connection pool per shard."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._present: set[str] = set()  # tables, asset_keys columns, secondary indexes known to exist (index shard)
        # guards _engines only; Dagster's _db_lock (not re-entrant) serialises the connections of _connect, and
        # has_table is also called while a connection of _connect is open
        self._engines_lock = threading.RLock()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The shard's engine, created (and its database initialised) on first use."""
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = self._engines[shard] = self._new_engine(shard)
                while len(self._engines) > MAX_OPEN_SHARDS:
                    _, evicted = self._engines.popitem(last=False)
                    evicted.dispose()
            self._engines.move_to_end(shard)
            return engine

    def _new_engine(self, shard: str) -> Engine:
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=QueuePool,
            pool_size=1,  # _connect is serialised by _db_lock; has_table may check out a second one
            max_overflow=4,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as connection, connection.begin():
            yield connection

    # Dagster asks whether a table or column exists before most reads and writes (about 500 times a run), with
    # a new engine each time for tables. Tables and columns are only ever added (by `dagster instance migrate`),
    # so a yes is remembered; a no is asked again.
    def has_table(self, table_name: str) -> bool:
        if table_name in self._present:
            return True
        with self._engine(INDEX_SHARD_NAME).connect() as connection:  # not _connect: see _engines_lock
            present = bool(connection.dialect.has_table(connection, table_name))
        if present:
            self._present.add(table_name)
        return present

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        key = f"asset_keys.{column_name}"
        if key not in self._present and super()._has_asset_key_col_on_connection(conn, column_name):
            self._present.add(key)
        return key in self._present

    # asked before every asset-record read (data versions: once per dependency of every materialization); a
    # secondary index, once built, is never dropped except by wipe
    def has_secondary_index(self, name: str) -> bool:
        key = f"secondary_index.{name}"
        if key not in self._present and super().has_secondary_index(name):
            self._present.add(key)
        return key in self._present

    def watch(self, run_id: str, cursor: str | None, callback: EventHandlerFn) -> None:
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        handler = _WalAwareWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (handler, self._obs.schedule(handler, self._base_dir, recursive=True))

    def delete_events(self, run_id: str) -> None:
        """Dagster deletes the run's rows and leaves its file behind (about 1 MB, empty); the file goes too
        (orchestration/run_history.py deletes runs past the retention)."""
        super().delete_events(run_id)
        with self._engines_lock:
            engine = self._engines.pop(run_id, None)
        if engine is not None:
            engine.dispose()
        self._initialized_dbs.discard(run_id)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path_for_shard(run_id) + suffix)

    def wipe(self) -> None:
        self._dispose_engines()  # wipe deletes the run files: no connection may keep them open
        self._present.clear()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._dispose_engines()  # closing the last connection checkpoints the WAL into the database file

    def _dispose_engines(self) -> None:
        with self._engines_lock:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()


class _WalAwareWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's run watcher, also woken when the run's -wal file changes (a commit on a connection kept open)."""

    def __init__(self, storage: SqliteEventLogStorage, run_id: str, callback: EventHandlerFn, cursor: str | None):
        super().__init__(storage, run_id, callback, cursor)
        self._watched = (self._log_path, self._log_path + "-wal")
        PatternMatchingEventHandler.__init__(self, patterns=list(self._watched))

    def on_modified(self, event: FileSystemEvent) -> None:
        if event.src_path in self._watched:
            self._process_log()
