"""Superset's chart data cache, tied to the served warehouse file (issue 15).

A chart request that is not forced (`force=true`) is answered from this cache when the same query ran before on the
same served file: about a third of a cold request's time (bench/bench_dashboards.py reports both). The nightly run
publishes a new warehouse by an atomic rename of a new file onto the served path (orchestration: publish), so the
file's identity — device, inode, size, modification and change time — changes with every publish. Every cache key is
salted with that identity: after a publish no entry of the previous file is found again (they expire after their
timeout, or are pruned by the cache's threshold), and no Superset process has to be told or restarted.

The cache is a FileSystemCache in the Superset state folder, shared by the gunicorn workers (a SimpleCache is per
process: each worker would compute each chart once more). Its files are the owner's only (umask 077, mode 0600).
Runs in the Superset venv; the standard library and cachelib/flask-caching only.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask_caching.backends.filesystemcache import FileSystemCache

SERVED_ENV = "PLANWATCH_WAREHOUSE_DB"  # set by the launcher: the served warehouse file


def served_file_identity(served: str | os.PathLike[str] | None = None) -> str:
    """Identity of the served warehouse file as it is now: changes with every publish (os.replace of a new file),
    and with any rewrite in place. 'missing' while there is no file yet."""
    path = served if served is not None else os.environ.get(SERVED_ENV, "")
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    if st is None:
        return "missing"
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


class ServedFileCache(FileSystemCache):
    """FileSystemCache whose keys are salted with the served file's identity (checked on every get and set: one
    stat, a few microseconds). Configure it as DATA_CACHE_CONFIG["CACHE_TYPE"] = "served_cache.ServedFileCache"."""

    def __init__(self, *args, served: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._served = served

    @classmethod
    def factory(cls, app, config, args, kwargs):
        Path(config["CACHE_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
        kwargs["served"] = config.get("PLANWATCH_SERVED_DB")
        return super().factory(app, config, args, kwargs)

    def _get_filename(self, key: str) -> str:
        if key == self._fs_count_file:  # the cache's own entry count, not a cached value
            return super()._get_filename(key)
        return super()._get_filename(f"{served_file_identity(self._served)}|{key}")
