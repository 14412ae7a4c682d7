"""The one guard every input file is parsed under (ingest/landing.py): resource limits checked before parsing and
any failure during it turned into an InputError naming the file, the place and what to do. A file that fails is
quarantined; the run goes on. Row-level problems stay with the readers (they reject the row, not the file).

Limits, and why they are cheap to check before the parse:
- file size: read from the file system, nothing is read;
- zip expansion (DOCX, XLSX and any zip container, whatever its extension): the uncompressed sizes in the zip's
  central directory, before a member is inflated; a member that inflates beyond what the directory says is cut
  off by the XML reader's own read, so the directory is what bounds memory;
- time: SIGALRM in the main thread (the CLI, Dagster's in-process executor, a pool worker); no limit elsewhere;
- CSV field size: the csv module's limit is raised to 1 MiB characters while a file is parsed, so a long field
  is parsed and rejected as a row by its reader instead of stopping the file with `_csv.Error`; a cell beyond that
  quarantines the file with the line it is on.
"""

from __future__ import annotations

import csv
import signal
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from planwatch_core.errors import InputError

T = TypeVar("T")
MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 25 * MB  # the largest real bulletin PDF is ~3 MB, an outline's text ~0.5 MB
    max_unzipped_bytes: int = 30 * MB  # all members of a DOCX/XLSX together, uncompressed (a bulletin: 1-5 MB)
    max_zip_ratio: int = 200  # uncompressed / compressed of one member (ordinary XML compresses 5-20×)
    max_zip_members: int = 5000
    max_seconds: float = 30.0  # parse time of one file (a real bulletin: 10 ms as text, seconds as PDF)
    max_field_chars: int = 4096  # one CSV cell; a longer one rejects its row (the readers check it)
    max_csv_field_chars: int = 1 << 20  # a cell the csv module still parses (its default 131,072 stops the file)


DEFAULT_LIMITS = Limits()
ZIP_MAGIC = b"PK\x03\x04"


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(
            path.name,
            "whole file",
            f"the file is {size / MB:.1f} MB, over the {limits.max_file_bytes / MB:.0f} MB limit for an input",
            "check it is the right document; split it or remove embedded images, then put it back",
        )


def check_zip(path: Path, limits: Limits) -> None:
    """A zip container (DOCX, XLSX) whose members would inflate beyond the limits is refused unopened."""
    with path.open("rb") as handle:
        if handle.read(4) != ZIP_MAGIC:
            return
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(path.name, "whole file", f"a damaged zip container ({exc})", "save it again")  # noqa: B904
    if len(members) > limits.max_zip_members:
        raise InputError(path.name, "zip directory", f"{len(members)} members in the container", "save it again")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1 * MB and ratio > limits.max_zip_ratio:
            raise InputError(
                path.name,
                f"zip member {member.filename}",
                f"expands {ratio:.0f}× ({member.compress_size:,} → {member.file_size:,} bytes): a zip bomb or a "
                "generated document, not an ordinary one",
                "save the document again from Word/WPS/Excel, or copy its text into a new one",
            )
    if total > limits.max_unzipped_bytes:
        raise InputError(
            path.name,
            "zip directory",
            f"its members expand to {total / MB:.0f} MB, over the {limits.max_unzipped_bytes / MB:.0f} MB limit",
            "save the document again without embedded media, or split it",
        )


class ParseTimeout(BaseException):
    """Not an Exception: a reader's own `except Exception` must not swallow the time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise ParseTimeout

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def csv_field_limit(chars: int) -> Iterator[None]:
    previous = csv.field_size_limit()
    csv.field_size_limit(max(chars, previous))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def guarded(path: Path, parse: Callable[[], T], limits: Limits = DEFAULT_LIMITS) -> T:
    """`parse()` under the limits; every failure becomes an InputError about `path`."""
    try:
        check_size(path, limits)
        check_zip(path, limits)
        with time_limit(limits.max_seconds), csv_field_limit(limits.max_csv_field_chars):
            return parse()
    except InputError:
        raise
    except ParseTimeout:
        raise InputError(
            path.name,
            "whole file",
            f"reading it took over {limits.max_seconds:g} s and was stopped",
            "check the file is an ordinary document of its kind; a generated or damaged file reads this slowly",
        ) from None
    except PermissionError as exc:
        raise InputError(
            path.name, "whole file", f"cannot be read ({exc.strerror})", "give the planwatch user read permission"
        ) from None
    except csv.Error as exc:
        raise InputError(
            path.name, "whole file", f"not a readable CSV ({exc})", "save it again as CSV from Excel/WPS"
        ) from None
    except MemoryError:
        raise InputError(path.name, "whole file", "reading it ran out of memory", "split the file") from None
    except RecursionError:
        raise InputError(path.name, "whole file", "nested too deeply to read", "save it again") from None
    except Exception as exc:  # a reader bug or a damaged file: quarantine, never stop the run
        raise InputError(
            path.name,
            "whole file",
            f"could not be read: {type(exc).__name__}: {str(exc)[:300]}",
            "open and save the file again in its program; if it still fails, report it with the file",
        ) from exc


def too_long_cells(cells: dict[str, object] | list[object], limits: Limits = DEFAULT_LIMITS) -> str | None:
    """A reason when a row has a cell over the field limit (a row-level rejection), else None."""
    values = cells.values() if isinstance(cells, dict) else cells
    for value in values:
        if isinstance(value, str) and len(value) > limits.max_field_chars:
            return f"a cell of {len(value):,} characters (over {limits.max_field_chars:,}): not a figure"
        if isinstance(value, list):  # csv.DictReader puts surplus cells in a list
            return "more cells than the header has columns"
    return None
