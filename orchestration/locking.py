"""One writer at a time: every step that writes the warehouse (landing, dbt build, publish) holds this lock.
The Dagster run queue (limit 1) already serialises scheduled and sensor runs; the lock also covers
`planwatch build` from a terminal and a second Dagster instance."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    pass


@contextmanager
def writer_lock(warehouse: Path, timeout_s: float = 600.0, poll_s: float = 0.5) -> Iterator[None]:
    """Exclusive advisory lock on <warehouse>/.writer.lock; released by the OS if the process dies."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / ".writer.lock"
    handle = path.open("a+")
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"another process has been writing {warehouse} for over {timeout_s:.0f}s "
                        f"(lock {path}); wait for it to finish or stop it"
                    ) from None
                time.sleep(poll_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
