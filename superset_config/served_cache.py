"""Superset's chart data cache, tied to the served warehouse file (issue 15).

A chart request that is not forced (`force=true`) is answered from this cache when the same query ran before on the
same served file: about a third of a cold request's time (bench/bench_dashboards.py reports both). The nightly run
publishes a new warehouse by an atomic rename of a new file onto the served path (orchestration: publish), so the
file's identity — device, inode, size, modification and change time — changes with every publish. Every cache key is
salted with that identity: after a publish no entry of the previous file is found again (they expire after their
timeout, or are pruned by the cache's threshold), and no Superset process has to be told or restarted.

One race is closed by waiting: DuckDB hands a new connection the database already open under the same path, so for
as long as a query that started before the publish is still running, a new query may still read the previous file.
Such an answer must not be cached under the new file's identity. Queries are stopped after SQLLAB_TIMEOUT seconds
(superset_config._install_query_guard), so nothing is stored while the served file is younger than the grace period
(PLANWATCH_PUBLISH_GRACE_SECONDS, twice that timeout): in that minute after a publish answers are computed, not
stored; afterwards they are cached as usual.

The cache is a FileSystemCache in the Superset state folder, shared by the gunicorn workers (a SimpleCache is per
process: each worker would compute each chart once more). Its files are the owner's only (umask 077, mode 0600).
Runs in the Superset venv; the standard library and cachelib/flask-caching only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask_caching.backends.filesystemcache import FileSystemCache

SERVED_ENV = "PLANWATCH_WAREHOUSE_DB"  # set by the launcher: the served warehouse file


def _stat(served: str | os.PathLike[str] | None) -> os.stat_result | None:
    path = served if served is not None else os.environ.get(SERVED_ENV, "")
    try:
        return os.stat(path) if path else None
    except OSError:
        return None


def served_file_age(served: str | os.PathLike[str] | None = None) -> float | None:
    """Seconds since the served file was published (renamed into place) or last written; None if missing."""
    st = _stat(served)
    return None if st is None else time.time() - max(st.st_mtime, st.st_ctime)


def served_file_identity(served: str | os.PathLike[str] | None = None) -> str:
    """Identity of the served warehouse file as it is now: changes with every publish (os.replace of a new file),
    and with any rewrite in place. 'missing' while there is no file yet."""
    st = _stat(served)
    if st is None:
        return "missing"
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


class ServedFileCache(FileSystemCache):
    """FileSystemCache whose keys are salted with the served file's identity (checked on every get and set: one
    stat, a few microseconds). Configure it as DATA_CACHE_CONFIG["CACHE_TYPE"] = "served_cache.ServedFileCache"."""

    def __init__(self, *args, served: str | None = None, grace_seconds: float = 0.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._served = served
        self._grace = grace_seconds

    @classmethod
    def factory(cls, app, config, args, kwargs):
        Path(config["CACHE_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
        kwargs["served"] = config.get("PLANWATCH_SERVED_DB")
        kwargs["grace_seconds"] = float(config.get("PLANWATCH_PUBLISH_GRACE_SECONDS") or 0)
        return super().factory(app, config, args, kwargs)

    def _just_published(self) -> bool:
        age = served_file_age(self._served)
        return age is None or age < self._grace

    def set(self, key: str, value, timeout=None, mgmt_element: bool = False) -> bool:
        if not mgmt_element and self._just_published():
            return False  # computed, not stored: a query on the previous file may still be running
        return super().set(key, value, timeout, mgmt_element)

    def add(self, key: str, value, timeout=None) -> bool:
        if self._just_published():
            return False
        return super().add(key, value, timeout)

    def _get_filename(self, key: str) -> str:
        if key == self._fs_count_file:  # the cache's own entry count, not a cached value
            return super()._get_filename(key)
        return super()._get_filename(f"{served_file_identity(self._served)}|{key}")
