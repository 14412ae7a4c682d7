"""The readers' floor of a landing: the catalog and every inbox file parsed by the project's own readers, one
process per core, with nothing around them: no hashes, no state, no Parquet, no Dagster, no progress lines.

    uv run python bench/parse_floor.py INSTALLATION [--workers N] [--json OUT]

INSTALLATION holds inbox/ and catalog/ (bench/synth.py installs one per size). What it measures is what a full
build's landing cannot go below on this machine without faster readers: bench/raw_floor.py gives the same for
dbt's SQL, and the two together are the floor of a full build (bench/run_all.py reports both). As in the landing,
the catalog is parsed once (by chunks, in the pool) and cached as JSON, which the reader processes then load; each
reader process loads the reference data it needs once. The parsed records are counted in the reader processes
and not sent back: sending them is the landing's cost, not the readers'. Nothing is written under INSTALLATION: the
catalog's cache goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.landing import READERS, LandingContext, inbox_files  # noqa: E402
from planwatch_core.errors import InputError  # noqa: E402
from planwatch_core.paths import INPUT_KINDS, Paths  # noqa: E402

CHUNK = 16  # files per task: few enough to keep both processes busy to the end, many enough to cost little IPC

_CONTEXT: LandingContext | None = None


def _start_worker(paths: Paths) -> None:
    global _CONTEXT
    _CONTEXT = LandingContext(paths)


def _read(kind: str, path: Path) -> tuple[int, int]:
    """(records, 1 if the reader refused the file) for one file, as the landing's reader sees it."""
    assert _CONTEXT is not None
    try:
        tables = READERS[kind].handle(path, _CONTEXT)
    except InputError:
        return 0, 1
    return sum(len(rows) for table, rows in tables.items() if table != "rejections"), 0


def _read_many(kind: str, paths: list[Path]) -> tuple[int, int]:
    done = [_read(kind, p) for p in paths]
    return sum(d[0] for d in done), sum(d[1] for d in done)


def _cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(inbox: Path, catalog: Path, workers: int, progress=print) -> dict:
    """Seconds per part: the pool's start, the catalog, each input kind; CPU seconds of the whole (this process and
    its reader processes)."""
    result: dict = {"workers": workers, "kinds": {}}
    started, cpu0 = time.perf_counter(), _cpu_s()
    with tempfile.TemporaryDirectory(prefix="parse-floor-") as tmp:
        paths = Paths(inbox=inbox, warehouse=Path(tmp), catalog=catalog)
        paths.state_dir.mkdir(parents=True)
        t0 = time.perf_counter()
        context = LandingContext(paths).load_all()  # the catalog by chunks in `workers` processes, cached as JSON
        result["catalog_s"] = round(time.perf_counter() - t0, 2)
        result["catalog_entries"] = len(context.catalog)
        progress(f"  catalog: {len(context.catalog):,} entries in {result['catalog_s']} s")
        by_kind: dict[str, list[Path]] = {kind: [] for kind in INPUT_KINDS}
        for kind, path in inbox_files(paths):
            by_kind[kind].append(path)
        t0 = time.perf_counter()
        spawn = multiprocessing.get_context("spawn")  # as the landing's pool (its caller may be threaded)
        with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_start_worker, initargs=(paths,)) as pool:
            list(pool.map(abs, range(workers)))  # every process started and its imports done
            result["pool_start_s"] = round(time.perf_counter() - t0, 2)
            for kind, files in by_kind.items():
                t0 = time.perf_counter()
                chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
                counts = Counter()
                for records, refused in pool.map(_read_many, [kind] * len(chunks), chunks):
                    counts["records"] += records
                    counts["refused"] += refused
                seconds = time.perf_counter() - t0
                result["kinds"][kind] = {"files": len(files), "s": round(seconds, 2), **counts}
                progress(
                    f"  {kind}: {len(files):,} files, {counts['records']:,} records, {counts['refused']} refused, "
                    f"{seconds:.1f} s ({len(files) / seconds if seconds else 0:.0f} files/s)"
                )
    result["total_s"] = round(time.perf_counter() - started, 2)
    result["readers_s"] = round(result["catalog_s"] + sum(k["s"] for k in result["kinds"].values()), 2)
    result["cpu_s"] = round(_cpu_s() - cpu0, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("installation", type=Path, help="a folder with inbox/ and catalog/")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="reader processes (default: cores)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    inbox, catalog = args.installation / "inbox", args.installation / "catalog"
    if not inbox.is_dir() or not catalog.is_dir():
        parser.error(f"{args.installation} has no inbox/ or catalog/: give an installation of bench/synth.py")
    print(f"readers' floor of {args.installation} with {args.workers} processes", flush=True)
    result = measure(inbox, catalog, args.workers, progress=lambda line: print(line, flush=True))
    print(
        f"readers {result['readers_s']} s (catalog {result['catalog_s']} s), pool start {result['pool_start_s']} s, "
        f"total {result['total_s']} s, CPU {result['cpu_s']} s"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
