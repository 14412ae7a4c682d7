"""The Dagster instance's event log (orchestration/dagster.yaml `event_log_storage`): Dagster's own SQLite event
log, in the same files, with each database's engine kept open for the process.

Dagster's SqliteEventLogStorage builds a new SQLAlchemy engine and a new SQLite connection for every statement,
about six per stored event. A run stores an event per asset it plans, per materialization, per dbt test and per
log line: a one-bulletin run stored 393 of them at about 10 ms each (4 of its 14.6 s, bench/RESULTS.md). Here an
engine is made once per database, and the index database (asset and check events, concurrency slots: most of the
statements) keeps its connection open. A run's own database is still closed after each statement: the databases
are in WAL mode, and only the close writes the log back into `<run_id>.db`, the file the web UI's watcher waits
on for a running run's new events. Everything else (schema, files, the watchers) is Dagster's own.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from collections.abc import Iterator

from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

OPEN_DATABASES = 8  # engines kept per process: the index's and the newest runs' (each run has its own database)


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SQLite event log under `<dagster_home>/history/runs` (where Dagster's default puts it), pooled engines."""

    def __init__(self, dagster_home: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._dagster_home = dagster_home
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(os.path.join(dagster_home, "history", "runs"), inst_data=inst_data)

    @classmethod
    def config_type(cls) -> dict:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        pool = {} if shard == INDEX_SHARD_NAME else {"poolclass": NullPool}  # see the module's docstring
        engine = create_engine(
            self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, **pool
        )
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_DATABASES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self._dispose_engines()  # the run databases' files are deleted: no connection may stay open on them
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()
