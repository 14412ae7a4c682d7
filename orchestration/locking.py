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
    """Another writer (a process holding the lock, or another Dagster run) kept the warehouse longer than the
    caller would wait."""


def is_transient_lock_error(error: BaseException) -> bool:
    """Another process holds the warehouse: our lock, or DuckDB's own file lock ("Could not set lock")."""
    return isinstance(error, WarehouseBusy) or (
        type(error).__name__ in ("IOException", "IOError") and "lock" in str(error).lower()
    )


@contextmanager
def retry_when_busy(context, max_retries: int = 3, base_wait_s: float = 5.0) -> Iterator[None]:
    """In a Dagster step: turn a transient lock error into a retry with exponential back-off (5 s, 10 s, 20 s);
    any other error fails the step at once."""
    import dagster as dg

    try:
        yield
    except Exception as error:
        if not is_transient_lock_error(error):
            raise
        wait = base_wait_s * 2**context.retry_number
        context.log.warning(f"warehouse busy ({error}); retry {context.retry_number + 1}/{max_retries} in {wait:.0f}s")
        raise dg.RetryRequested(max_retries=max_retries, seconds_to_wait=wait) from error


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
