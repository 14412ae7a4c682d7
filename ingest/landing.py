"""Landing: inbox files → Parquet tables under warehouse/landing/, by content hash.

- Inputs are never moved or edited. Each file is identified by the SHA-256 of its bytes (plus the version of the
  reader that parsed it), so a rerun with unchanged inputs parses nothing and rewrites nothing. A file whose size,
  modification time and inode are those it had when last hashed is not read again (the stat cache,
  state/inbox_stat_<kind>.json); a file modified within RACY_NS of being hashed is hashed again next time, so a
  same-size rewrite in the same clock tick is never missed.
- Each input file lands as one part per table, `_parts/<table>/<kind>__<sha16>.arrow` (Arrow IPC, lz4): the
  reader's cache (an unchanged file is never parsed again) and the trace of which file gave which rows. Only
  compaction reads parts, so they need not be Parquet: an Arrow file of a few hundred rows is written and read back
  about five times faster (30,000 parts of 15,000 bulletins: bench/RESULTS.md). Every row carries
  `input_sha256`, the full SHA-256 of its input file. A file that leaves the inbox takes its parts with it.
- What dbt reads is the compacted dataset: `<table>/<kind>-b<NN>.parquet`, the parts of one input kind in hash
  bucket NN = int(sha[:8], 16) % BUCKETS (64), plus `<table>/_empty.parquet`, an empty typed member so the glob
  `<table>/*.parquet` always matches with the right schema. Why buckets by the input file's hash, not by region:
  a file's bucket is known before it is parsed and never changes (a plan of an unknown region, a bulletin whose
  region the reader corrects, a submission spanning regions all have one); buckets are evenly sized whatever the
  inbox holds; a new, changed or removed file rewrites only its own bucket (1/64 of the table); and the number of
  files dbt opens is bounded (≤ 64 per kind and table) at any scale. A bucket is rewritten from its parts, to a
  temporary file then os.replace, only when its members (part + part digest, state/compacted_<kind>.json) differ
  from what it was written from, or the file is missing or damaged: a run killed between parts and buckets is
  repaired by the next one. Superseded plan versions are kept in `_parts/<table>/_versions/`, outside every bucket.
- A file that cannot be read is quarantined (file, place, reason) and the rest of the run goes on. The catalog is
  configuration, not input: an invalid catalog stops the run.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pyarrow.parquet as pq

from ingest.bulletins import ExtractionResult, extract_file
from ingest.catalog import DRIFT_FIELDS, CatalogEntry, catalog_records, drift, load_catalog, load_regions
from ingest.figures import MetricName, load_figure_names
from ingest.guard import DEFAULT_LIMITS, Limits, check_size, guarded
from ingest.landing_schemas import INPUT_TABLES, SCHEMAS
from ingest.peer_groups import load_peer_groups, peer_group_records, peer_metric_records
from ingest.plan_document import (
    PlanDocument,
    plan_metric_patterns,
    plan_records,
    read_plan_file,
    rejection_records,
    review_records,
    target_records,
)
from ingest.plan_formats import SUFFIXES as PLAN_SUFFIXES
from ingest.plan_formats import read_outline
from ingest.plausibility import Gate, load_gate
from ingest.published import read_published_file
from ingest.submissions import SubmissionIndex, read_submission_file, submission_index
from ingest.themes import ThemeRules, load_theme_rules
from planwatch_core.errors import InputError
from planwatch_core.faults import pause_point
from planwatch_core.paths import INPUT_KINDS, Paths, file_identity, identity_text, stat_identity
from planwatch_core.settings import Settings

Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class LandingContext:
    """The reviewed reference data every reader needs, each part loaded when first used: a run whose inputs are
    unchanged never parses the catalog. An invalid catalog raises where it is used (land_catalog uses all of it)."""

    paths: Paths
    today: date | None = None  # the date years are checked against (None: the current date)
    limits: Limits = DEFAULT_LIMITS

    @cached_property
    def themes(self) -> ThemeRules:
        return load_theme_rules(self.paths.catalog / "themes.yaml")

    @cached_property
    def catalog(self) -> list[CatalogEntry]:
        return load_catalog(
            self.paths.indicator_catalog,
            set(self.themes.codes),
            cache_dir=self.paths.state_dir,
            workers=landing_workers(),
        )

    @cached_property
    def figure_names(self) -> dict[str, MetricName]:
        return load_figure_names(self.paths.catalog / "figure_names.yaml")

    @cached_property
    def region_by_slug(self) -> dict[str, str]:
        return {region.slug: region.code for region, _ in load_regions(self.paths.catalog / "regions.yaml")}

    @cached_property
    def metric_patterns(self) -> list:
        """The metric aliases' label patterns (catalog/metric_aliases.yaml), parsed once per process: parsed per
        plan they were 70 % of a plan's landing (46 ms a file)."""
        return plan_metric_patterns(self.paths.catalog)

    @cached_property
    def gate(self) -> Gate:
        return load_gate(self.paths.catalog / "plausible_ranges.yaml", self.today or date.today())

    def load_all(self) -> LandingContext:
        """Load (and so validate) every part now."""
        for name in ("themes", "catalog", "figure_names", "region_by_slug", "gate"):
            getattr(self, name)
        return self

    @cached_property
    def submission_index(self) -> SubmissionIndex:
        """Indexed once for all the submission files of a run (a catalog may hold thousands of plans)."""
        return submission_index(self.catalog, self.region_by_slug)


Handler = Callable[[Path, LandingContext], dict[str, list[dict]]]


@dataclass(frozen=True)
class Reader:
    version: str  # bump when the reader's output changes, so files are parsed again
    suffixes: tuple[str, ...]
    handle: Handler
    slow: bool = False  # parsing costs enough per file for a process pool to pay off (see PARALLEL_MIN_FILES)


def _land_plan(path: Path, context: LandingContext) -> dict[str, list[dict]]:
    document = read_plan_file(path, context.paths.catalog / "regions.yaml")
    _check_row_numbers(document)
    gate = context.gate
    targets = []
    rejections = rejection_records(document)  # rows the reader could not interpret; the rest lands
    for record in target_records(document, context.themes, context.metric_patterns):
        reason = _plan_value_problem(record, gate)
        if reason is None:
            targets.append(record)
        else:
            rejections.append({"place": record["source_locator"], "reason": reason, "excerpt": record["excerpt"]})
    review = []
    for record in review_records(document):
        reason = gate.value(record["value"], unit=record["unit"])
        if reason is None:
            review.append(record)
        else:
            rejections.append({"place": record["source_locator"], "reason": reason, "excerpt": record["excerpt"]})
    plans = [{**p, "document_date": _document_date(path)} for p in plan_records(document)]
    tables = {"plans": plans, "plan_targets": targets, "plan_review_figures": review}
    return {**tables, "rejections": rejections} if rejections else tables


def _check_row_numbers(document: PlanDocument) -> None:
    """Two rows of one plan's table with the same 序号: the table is ambiguous; the file is quarantined."""
    seen: dict[tuple[str, int], int] = {}
    for row in document.rows:
        if row.seq is None:
            continue
        key = (row.plan.plan_id, row.seq)
        if key in seen:
            raise InputError(
                document.file,
                document.locator(row.line),
                f"row number {row.seq} of the {row.plan.plan_id} table appears twice "
                f"(first at {document.locator(seen[key])})",
                "renumber the table's rows (序号) so each appears once, then put the file back",
            )
        seen[key] = row.line


def _plan_value_problem(record: dict, gate: Gate) -> str | None:
    for column in ("baseline_value", "target_value", "result_value"):
        reason = gate.value(record[column], unit=record["unit"])
        if reason:
            return f"{reason} ({column.removesuffix('_value')})"
    for column in ("target_structure", "result_structure"):
        for part in record[column] or ():
            reason = gate.value(part)
            if reason:
                return f"{reason} ({column})"
    return None


_DATE = re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _document_date(path: Path) -> str | None:
    """The date the document states in its first lines (印发/通过 date under the title), as ISO, else None.
    Read from the outline's text, so a Word, PDF or HTML outline gives its date as a text one does."""
    head = "\n".join(read_outline(path).text.splitlines()[:15])
    match = _DATE.search(head)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _land_bulletin(path: Path, context: LandingContext) -> dict[str, list[dict]]:
    # the installation's alias table (PLANWATCH_CATALOG), like every other catalog file
    aliases = context.paths.catalog / "metric_aliases.yaml"
    result = extract_file(path, alias_file=aliases) if aliases.exists() else extract_file(path)
    if result.region_code is None:
        problem = result.region_problem()
        if result.region_shared_by:
            todo = (
                f"name the parent in the title (e.g. {result.region_shared_by[0]}…统计公报), or pin the name to one "
                "division with an alias in catalog/regions.yaml"
            )
        else:
            todo = (
                "name the region in the title as the region table writes it "
                "(e.g. 2023年黔江区国民经济和社会发展统计公报), or add it as an alias of its division code in "
                "catalog/regions.yaml"
            )
        # what to do is part of the reason, which the quarantine records (`--region` is no option of the landing)
        raise InputError(path.name, "title", f"the bulletin {problem}; {todo}")
    if result.year is None:
        raise InputError(
            path.name,
            "title",
            "the title and the opening sentences name no statistical year (a publication date is not the year)",
            "put the year in the title (e.g. 2023年黔江区国民经济和社会发展统计公报); "
            "`planwatch extract FILE --year 2023` shows what the reader finds",
        )
    gate = context.gate
    if result.year > gate.today.year:
        raise InputError(
            path.name,
            "title",
            f"the bulletin is for {result.year}, after the current year {gate.today.year}",
            "check the year in the title; a bulletin reports a year that has ended",
        )
    rejections = [{"place": r.locator, "reason": r.reason, "excerpt": r.excerpt} for r in result.rejections]
    figures = []
    for record, f in zip(figure_records(result), result.figures, strict=True):
        reason = _bulletin_figure_problem(record, gate)
        if reason is None:
            figures.append({**record, "figure_kind": getattr(f, "kind", "level"), "document_title": result.title})
        else:
            rejections.append({"place": record["locator"], "reason": reason, "excerpt": record["excerpt"]})
    return {"bulletin_figures": figures, "rejections": rejections}


def _bulletin_figure_problem(record: dict, gate: Gate) -> str | None:
    """Every number finite; a mapped figure within its metric's (or unit's) range; its year not in the future."""
    value, growth = record["value"], record["growth_pct"]
    if record["metric_key"] is None:
        reason = gate.value(value, unit="") or gate.value(growth, unit="")
    else:
        reason = gate.value(value, record["metric_key"], record["unit"]) or gate.value(growth, unit="%")
    return reason or gate.year(record["year"])


def _number(value: float | int | None) -> float | None:
    return None if value is None or value != value else float(value)  # NaN → None, as in a DataFrame


def figure_records(result: ExtractionResult) -> list[dict]:
    """The rows of figures_frame([result]), null as None: built directly, since a DataFrame per file cost more than
    reading the bulletin."""
    return [
        {
            "region_code": result.region_code,
            "region_zh": f.region_zh,
            "year": None if f.year is None else int(f.year),
            "period": f.period,
            "metric_key": f.metric_key,
            "label_zh": f.label_zh,
            "value": _number(f.value),
            "unit": f.unit,
            "raw_value_text": f.raw_value_text,
            "raw_unit": f.raw_unit,
            "growth_pct": _number(f.growth_pct),
            "growth_basis": f.growth_basis,
            "document_id": result.document_id,
            "locator": f.locator,
            "excerpt": f.excerpt,
        }
        for f in result.figures
    ]


def _land_published(path: Path, context: LandingContext) -> dict[str, list[dict]]:
    figures, rejections = read_published_file(path, context.figure_names, context.gate)
    return {"published_figures": figures, "rejections": rejections}


def _land_submission(path: Path, context: LandingContext) -> dict[str, list[dict]]:
    values, rejections = read_submission_file(
        path, context.catalog, context.region_by_slug, context.submission_index, context.gate
    )
    return {"submission_values": values, "rejections": rejections}


# version 5/4/6/3: rows carry input_sha256, parts live in _parts/; 6/5/7/4: parts are Arrow files (PART_SUFFIX)
READERS: dict[str, Reader] = {
    "plans": Reader("plans-6", PLAN_SUFFIXES, _land_plan, slow=True),
    "bulletins": Reader("bulletins-5", (".txt", ".htm", ".html", ".pdf", ".docx"), _land_bulletin, slow=True),
    "published": Reader("published-7", (".csv",), _land_published),
    "submissions": Reader("submissions-4", (".xlsx", ".csv"), _land_submission, slow=True),
}


@dataclass
class FileOutcome:
    kind: str
    name: str
    sha256: str
    status: str  # loaded · quarantined · skipped · superseded · conflict
    n_records: int
    place: str | None
    reason: str | None
    processed_at: str  # ISO time of the first processing of this content
    parsed_now: bool  # parsed in this run (False: unchanged since an earlier run)


@dataclass
class LandingReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    files_written: int = 0  # parts (and catalog / manifest files)
    files_removed: int = 0  # parts
    buckets_written: int = 0
    buckets_removed: int = 0

    @property
    def parsed(self) -> int:
        return sum(o.parsed_now for o in self.outcomes)

    @property
    def quarantined(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "quarantined"]

    def summary(self) -> str:
        return (
            f"{len(self.outcomes)} input files: {self.parsed} parsed, {len(self.outcomes) - self.parsed} unchanged, "
            f"{len(self.quarantined)} quarantined; {self.files_written} landing files written, "
            f"{self.files_removed} removed; {self.buckets_written} compacted buckets written, "
            f"{self.buckets_removed} removed"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_table(path: Path, records: list[dict], table_name: str) -> bool:
    """Write records as Parquet atomically; leave the file untouched when the bytes would not change."""
    return write_table_digest(path, records, table_name)[0]


def write_table_digest(path: Path, records: list[dict], table_name: str) -> tuple[bool, str]:
    """write_table, and the SHA-256 of the bytes (kept in the state to find a damaged landed file later)."""
    return write_arrow_digest(path, _arrow_table(records, table_name))


def _arrow_table(records: list[dict], table_name: str) -> pa.Table:
    schema = SCHEMAS[table_name]
    unknown = {key for record in records for key in record} - set(schema.names)
    if unknown:  # pyarrow would drop them silently
        raise ValueError(f"landing table {table_name} has no column for {sorted(unknown)}; update landing_schemas.py")
    return pa.Table.from_pylist(records, schema=schema) if records else schema.empty_table()


def write_arrow_digest(path: Path, table: pa.Table) -> tuple[bool, str]:
    """Write an Arrow table as Parquet atomically (temporary file, then os.replace); leave the file untouched when
    the bytes would not change. (written, SHA-256 of the bytes)."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return _replace_if_changed(path, buffer.getvalue())


_PART_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


def write_part_digest(path: Path, records: list[dict], table_name: str) -> tuple[bool, str]:
    """One input file's rows of one table as a part (Arrow IPC file, lz4), as write_table_digest writes Parquet."""
    table = _arrow_table(records, table_name)
    buffer = io.BytesIO()
    with pa.ipc.new_file(buffer, table.schema, options=_PART_OPTIONS) as writer:
        writer.write_table(table)
    return _replace_if_changed(path, buffer.getvalue())


def read_part(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A part's rows (read whole into memory: the table must not outlive a memory map of a replaced file)."""
    table = pa.ipc.open_file(pa.py_buffer(path.read_bytes())).read_all()
    return table.select(columns) if columns else table


def _replace_if_changed(path: Path, data: bytes) -> tuple[bool, str]:
    digest = hashlib.sha256(data).hexdigest()
    if path.exists() and path.read_bytes() == data:
        return False, digest
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True, digest


# --- where things land -------------------------------------------------------------------------------------------

PARTS_DIR = "_parts"  # landing/_parts/<table>/: one part per input file and table (dbt never reads it)
PART_SUFFIX = ".arrow"
SUPERSEDED_DIR = "_versions"  # landing/_parts/<table>/_versions/: superseded plan versions, kept, in no bucket
BUCKETS = 64
# a file modified this close to when its stat was recorded may change again within the same clock tick without a
# visible change of its stat (size, mtime_ns, inode): such a stat is not trusted, the file is hashed next time
RACY_NS = 2_000_000_000


def part_path(paths: Paths, table: str, stem: str, superseded: bool = False) -> Path:
    folder = paths.landing / PARTS_DIR / table
    return (folder / SUPERSEDED_DIR if superseded else folder) / f"{stem}{PART_SUFFIX}"


def bucket_of(sha: str) -> int:
    return int(sha[:8], 16) % BUCKETS


def bucket_path(paths: Paths, table: str, kind: str, bucket: int) -> Path:
    """The compacted file of one input kind's hash bucket of a table (what dbt reads)."""
    return paths.landing / table / f"{kind}-b{bucket:02d}.parquet"


Stat = list[int]  # [size, mtime_ns, inode]


def _stat_of(path: Path) -> Stat:
    return list(file_identity(path))


def trusted_stat(path: Path, now_ns: int | None = None) -> Stat | None:
    """The stat to remember for a file just hashed or written, or None when it is too recent to be trusted."""
    stat = _stat_of(path)
    return stat if (now_ns or time.time_ns()) - stat[1] >= RACY_NS else None


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str
    sha256: str | None = None


def _inbox_entries(paths: Paths, kind: str) -> tuple[list[Path], list[Skipped]]:
    """The files of inbox/<kind>/ to read, and every other entry with the reason it is not read. A symbolic link
    is read only when it stays inside the inbox; it is never followed out of it."""
    folder = paths.inbox_dir(kind)
    if not folder.is_dir():
        return [], []
    inbox = paths.inbox.resolve()
    files, skipped = [], []
    # scandir: the entry's type comes with the listing (no stat per file for is_dir / is_file of a plain file)
    for item in sorted(os.scandir(folder), key=lambda e: e.name):
        name, entry = item.name, Path(item.path)
        if name.startswith("."):
            if not name.startswith((".planwatch", ".~lock")):
                skipped.append(Skipped(name, "a hidden name (starts with '.'): not read; rename it to read it"))
            continue
        if name.startswith("README"):
            skipped.append(Skipped(name, "a README: documentation, not an input"))
            continue
        if item.is_symlink():
            target = entry.resolve()
            if not target.is_relative_to(inbox):
                skipped.append(Skipped(name, "a link to a file outside the inbox: not followed; copy the file in"))
                continue
        if item.is_dir():
            skipped.append(Skipped(name, "a folder: not read; put its files directly in the inbox folder"))
            continue
        if not item.is_file():
            skipped.append(Skipped(name, "not a regular file (a broken link, a device or a pipe): not read"))
            continue
        files.append(entry)
    return files, skipped


def inbox_files(paths: Paths) -> list[tuple[str, Path]]:
    """(kind, path) of every inbox file landing reads: the one rule for what counts as an input."""
    return [(kind, p) for kind in INPUT_KINDS for p in _inbox_entries(paths, kind)[0]]


def stat_cache_path(paths: Paths, kind: str) -> Path:
    return paths.state_dir / f"inbox_stat_{kind}.json"


def load_stat_cache(paths: Paths, kind: str) -> dict[str, list]:
    """file name → [size, mtime_ns, inode, sha256] of inbox/<kind>/ when last hashed; {} when missing or invalid."""
    try:
        cache = json.loads(stat_cache_path(paths, kind).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(cache, dict):
        return {}
    return {k: v for k, v in cache.items() if isinstance(v, list) and len(v) == 4}


def cached_sha256(path: Path, cache: dict[str, list], fresh: dict[str, list] | None = None) -> str:
    """The SHA-256 of a file, from the stat cache when its size, mtime_ns and inode are those it had when hashed;
    else hashed. `fresh` receives the entry to remember (none for a file modified within RACY_NS)."""
    stat = _stat_of(path)
    known = cache.get(path.name)
    sha = known[3] if known is not None and known[:3] == stat else sha256_of(path)
    if fresh is not None and time.time_ns() - stat[1] >= RACY_NS:
        fresh[path.name] = [*stat, sha]
    return sha


def _unreadable_sha(name: str) -> str:
    """A stand-in hash for a file whose bytes cannot be read: stable per name, so it is tried again when readable."""
    return hashlib.sha256(f"unreadable\0{name}".encode()).hexdigest()


def _state_key(kind: str, sha: str) -> str:
    reader = READERS.get(kind)
    return f"{kind}:{sha}:{reader.version if reader else 'none'}"


def _land_file(
    kind: str, path: Path, sha: str, context: LandingContext
) -> tuple[dict[str, list[dict]], InputError | None]:
    reader = READERS.get(kind)
    if reader is None:
        return {}, InputError(path.name, "whole file", f"no reader for input kind {kind!r} yet")
    if path.suffix.lower() not in reader.suffixes:
        expected = ", ".join(reader.suffixes)
        return {}, InputError(path.name, "file name", f"{kind} files must end in {expected}, not {path.suffix!r}")
    try:  # any exception or exceeded limit quarantines this file, never the run
        return guarded(path, lambda: reader.handle(path, context), context.limits), None
    except InputError as exc:
        return {}, exc


def _load_state(path: Path, progress: Progress = print) -> dict[str, dict]:
    """The state of one input kind; a state that cannot be read is dropped with a warning, and every file of the
    kind is landed again from its input (self-repair)."""
    if not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict) or not all(isinstance(v, dict) and "status" in v for v in state.values()):
            raise ValueError("not a mapping of file entries")
        return state
    except (OSError, ValueError) as exc:
        progress(f"warning: {path} cannot be read ({type(exc).__name__}: {exc}); landing every file again")
        return {}


def _landed_intact(target: Path, digest: str | None, stat: Stat | None = None) -> bool:
    """The landed Parquet is there and whole: its stat is the one recorded when written (size, mtime_ns, inode),
    else its bytes hash as when written (or, for an older state, its footer reads)."""
    try:
        if stat is not None and digest is not None and _stat_of(target) == stat:
            return True
        if digest is not None:
            return hashlib.sha256(target.read_bytes()).hexdigest() == digest
        pq.read_metadata(target)
        return True
    except (OSError, pa.ArrowException):
        return False


def state_path(paths: Paths, kind: str) -> Path:
    return paths.state_dir / f"inputs_{kind}.json"


# Parsing is independent per file and pure, and so is writing the file's parts (named by its content hash: a part
# a killed run wrote ahead of its state is written again or removed by the next run). The state stays in this
# process, in inbox order, so a killed run and its pause points behave as with one process. A spawned worker needs
# ~9 s to start (it imports the parsers and the caller's main module, which under Dagster is Dagster) and then loads
# the catalog context, while a bulletin or plan parses in 8-15 ms: a pool pays off from about 2,000 such files.
# Published figures parse too fast to gain (at 3,000 files the pool made them slower; bench/README.md).
PARALLEL_MIN_FILES = 2000
IN_FLIGHT_PER_WORKER = 8


def landing_workers() -> int:
    return Settings.from_environment().effective_landing_workers()  # PLANWATCH_LANDING_WORKERS


_WORKER_CONTEXTS: dict[Paths, LandingContext] = {}


@dataclass(frozen=True)
class LandedParts:
    """What one parsed input file left in _parts/ (written where it was parsed: in a reader process when there are
    many, so that its rows are neither sent back nor written by the one process that keeps the state)."""

    digests: dict[str, str]  # table → SHA-256 of its part's bytes
    written: int  # parts whose bytes changed
    n_records: int  # rows landed, rejections not counted
    plan: tuple[str, str | None] | None  # (plan id, document date) of the document's current plan: plan versions


def _write_parts(paths: Paths, kind: str, path: Path, sha: str, tables: dict[str, list[dict]]) -> LandedParts:
    stem, digests, written = f"{kind}__{sha[:16]}", {}, 0
    for table, records in tables.items():
        if not records:  # no part: most files have no rejections, and a file created costs more than its rows
            continue
        did_write, digests[table] = write_part_digest(
            part_path(paths, table, stem), _tag(records, table, kind, path.name, sha), table
        )
        written += did_write
    plan = None
    if tables.get("plans"):
        current = max(tables["plans"], key=lambda p: p["ordinal"] or 0)
        plan = (current["plan_id"], current["document_date"])
    return LandedParts(digests, written, sum(len(r) for t, r in tables.items() if t != "rejections"), plan)


def _land_and_write(
    kind: str, path: Path, sha: str, context: LandingContext
) -> tuple[LandedParts | None, InputError | None]:
    tables, error = _land_file(kind, path, sha, context)
    return (None, error) if error is not None else (_write_parts(context.paths, kind, path, sha, tables), None)


def _land_in_worker(kind: str, path: Path, sha: str, paths: Paths) -> tuple[LandedParts | None, InputError | None]:
    context = _WORKER_CONTEXTS.get(paths)
    if context is None:
        context = _WORKER_CONTEXTS[paths] = catalog_context(paths)
    return _land_and_write(kind, path, sha, context)


def _use_pool(kind: str, n_pending: int) -> bool:
    reader = READERS.get(kind)
    return reader is not None and reader.slow and landing_workers() > 1 and n_pending >= PARALLEL_MIN_FILES


def _parsed(
    kind: str, pending: list[tuple[int, Path, str]], context: LandingContext
) -> Iterator[tuple[LandedParts | None, InputError | None]]:
    """Each pending file parsed and its parts written, in order: in a process pool when there are many, else here."""
    workers = landing_workers()
    if not _use_pool(kind, len(pending)):
        for _, path, sha in pending:
            yield _land_and_write(kind, path, sha, context)
        return
    # spawn, not fork: the caller may be a threaded Dagster process. At most IN_FLIGHT_PER_WORKER files per worker
    # are parsed ahead of the writer: Executor.map would submit them all, and the parsed records of files this
    # process has not written yet piled up (10 GB at 10,000 regions, bench/RESULTS.md).
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        window: deque = deque()
        for _, path, sha in pending:
            window.append(pool.submit(_land_in_worker, kind, path, sha, context.paths))
            if len(window) >= workers * IN_FLIGHT_PER_WORKER:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


PER_FILE_LINES = 20  # up to this many files to read: one line per file; more: a line per tenth
PROGRESS_EVERY_S = 10.0  # and at least one line this often while reading many


class ReadProgress:
    """How far the reading of one kind's files is, for the person or the run log watching. Every line a Dagster
    run logs is an event written to its event log: a line per file cost 2 events per file (15,000 bulletins: the
    landing took 233 s in a run, 62 s without them, bench/RESULTS.md). So for many files a line per tenth (or every
    PROGRESS_EVERY_S) with the counts; a quarantined file always gets its own line, since someone has to act on it."""

    def __init__(self, kind: str, total: int, of_files: int, progress: Progress, clock: Callable[[], float]) -> None:
        self.kind, self.total, self.of_files, self.progress, self.clock = kind, total, of_files, progress, clock
        self.per_file = total <= PER_FILE_LINES
        self.done = self.records = self.quarantined = 0
        self.next_share, self.last_line = 1, clock()

    def read(self, index: int, name: str, n_records: int | None, error: InputError | None) -> None:
        self.done += 1
        if error is not None:
            self.quarantined += 1
            self.progress(f"[{self.kind} {index + 1}/{self.of_files}] {name} quarantined: {error}")
        else:
            self.records += n_records or 0
            if self.per_file:
                self.progress(f"[{self.kind} {index + 1}/{self.of_files}] read {name}: {n_records} records landed")
        if self.per_file:
            return
        now, share = self.clock(), self.done * 10 // self.total
        if share >= self.next_share or now - self.last_line >= PROGRESS_EVERY_S or self.done == self.total:
            self.next_share, self.last_line = share + 1, now
            self.progress(
                f"[{self.kind}] {self.done:,} of {self.total:,} files read ({100 * self.done // self.total} %): "
                f"{self.records:,} records landed, {self.quarantined} quarantined"
            )


def land_kind(paths: Paths, kind: str, context: LandingContext, progress: Progress = print) -> LandingReport:
    """Land the new, changed or renamed files of one input kind; drop the landing files of what left the inbox;
    land again what was landed but is damaged; then rewrite the compacted buckets whose members changed. When
    neither the kind's inbox nor anything it landed changed since its last complete landing (`signature_path`),
    nothing is checked file by file: the report is the state's."""
    inbox_signature = _inbox_signature(paths, kind, context)  # before the files are listed (see signature_path)
    recorded = (_read_text(signature_path(paths, kind)) or "").split("\n")
    unchanged = inbox_signature is not None and recorded[0] == inbox_signature
    if unchanged and recorded[1:] == [landed_signature(paths, kind)]:
        state = _load_state(state_path(paths, kind), progress)
        if state:
            progress(f"[{kind}] inbox/{kind}/ and what it landed are unchanged since the last landing: nothing to do")
            return _unchanged_report(kind, state)
    signature_path(paths, kind).unlink(missing_ok=True)  # a run stopped from here on leaves no claim behind
    state = _load_state(state_path(paths, kind), progress)
    report = LandingReport()
    expected: set[Path] = set()
    files, skipped = _inbox_entries(paths, kind)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    outcomes: list[FileOutcome | None] = [None] * len(files)
    pending: list[tuple[int, Path, str]] = []
    first_of: dict[str, str] = {}
    arrivals = {key: entry.get("arrival", 0) for key, entry in state.items()}
    next_arrival = max(arrivals.values(), default=0) + 1  # the order contents first came in (plan versions)
    hashed: list[tuple[int, Path, str]] = []
    stat_cache, fresh_stats = load_stat_cache(paths, kind), {}
    parts_root = str(paths.landing / PARTS_DIR)
    for index, path in enumerate(files):
        oversize = _oversize(path, context.limits)
        if oversize is not None:  # not even hashed: quarantined under a stand-in hash of its name and size
            sha = hashlib.sha256(f"oversize\0{path.name}\0{path.stat().st_size}".encode()).hexdigest()
            _keep_or_set(state, _state_key(kind, sha), path.name, now, oversize.place, _with_hint(oversize))
            outcomes[index] = _outcome(kind, path.name, sha, state[_state_key(kind, sha)], parsed_now=True)
            continue
        try:
            hashed.append((index, path, cached_sha256(path, stat_cache, fresh_stats)))
        except OSError as exc:  # unreadable (permissions, I/O error): quarantined under a stand-in hash
            sha = _unreadable_sha(path.name)
            reason = f"cannot be read ({exc.strerror or exc}): give the planwatch user read permission"
            _keep_or_set(state, _state_key(kind, sha), path.name, now, "whole file", reason)
            outcomes[index] = _outcome(kind, path.name, sha, state[_state_key(kind, sha)], parsed_now=True)
    # of exact copies, the one already landed under its name keeps it; else the first in name order
    for _, path, sha in hashed:
        if sha not in first_of or (state.get(_state_key(kind, sha)) or {}).get("file_name") == path.name:
            first_of[sha] = path.name
    for index, path, sha in hashed:
        if first_of[sha] != path.name:
            skipped.append(Skipped(path.name, f"an exact copy of {first_of[sha]} (same bytes): not read twice", sha))
            continue
        known = state.get(_state_key(kind, sha))
        stem = f"{kind}__{sha[:16]}"
        tables = (known or {}).get("tables", [])
        digests = (known or {}).get("landed", {})
        stats = (known or {}).get("landed_stat", {})
        folder = f"/{SUPERSEDED_DIR}" if (known or {}).get("status") in ("superseded", "conflict") else ""
        targets = {t: Path(f"{parts_root}/{t}{folder}/{stem}{PART_SUFFIX}") for t in tables}  # part_path, quicker
        renamed = known is not None and known.get("file_name") != path.name
        intact = all(_landed_intact(target, digests.get(t), stats.get(t)) for t, target in targets.items())
        if known and not intact:
            progress(f"warning: a landed file of {path.name} is missing or damaged; landing it again")
        if known and intact and not renamed:
            expected.update(targets.values())
            outcomes[index] = _outcome(kind, path.name, sha, known, parsed_now=False)
        else:
            pending.append((index, path, sha))
    if _use_pool(kind, len(pending)):
        progress(f"[{kind}] reading {len(pending):,} files with {landing_workers()} processes")
    elif len(pending) > PER_FILE_LINES:
        progress(f"[{kind}] reading {len(pending):,} files")
    meter = ReadProgress(kind, len(pending), len(files), progress, time.monotonic)
    for (index, path, sha), (parts, error) in zip(pending, _parsed(kind, pending, context), strict=True):
        key, stem = _state_key(kind, sha), f"{kind}__{sha[:16]}"
        if parts is None:
            assert error is not None
            meter.read(index, path.name, None, error)
            state[key] = _entry("quarantined", path.name, now, place=error.place, reason=_with_hint(error))
        else:
            report.files_written += parts.written
            expected.update(part_path(paths, table, stem) for table in parts.digests)
            pause_point("after_first_landing_file")
            state[key] = _entry("loaded", path.name, now, tables=sorted(parts.digests), n_records=parts.n_records)
            state[key]["landed"] = parts.digests
            if parts.plan is not None:  # which plan the document is, for versions (resolve_plan_versions)
                state[key]["plan_id"], state[key]["document_date"] = parts.plan
            meter.read(index, path.name, parts.n_records, None)
        if not arrivals.get(key):
            arrivals[key], next_arrival = next_arrival, next_arrival + 1
        state[key]["arrival"] = arrivals[key]
        outcomes[index] = _outcome(kind, path.name, sha, state[key], parsed_now=True)
    report.outcomes = [o for o in outcomes if o is not None]
    if kind == "plans":
        report.outcomes = resolve_plan_versions(
            paths, state, report.outcomes, expected, progress, lambda: context.catalog
        )
    report.files_removed += _remove_stale(paths, f"{kind}__", expected)
    current = {_state_key(o.kind, o.sha256) for o in report.outcomes}
    state = {k: v for k, v in state.items() if k in current}
    _refresh_stats(paths, kind, state)
    _save_json(state_path(paths, kind), state)
    _save_json(stat_cache_path(paths, kind), fresh_stats)
    _save_skipped(paths, kind, skipped, now)
    for entry in skipped:
        progress(f"  skipped {entry.name}: {entry.reason}")
    if pending:
        pause_point("before_compaction")  # parts and state written, buckets not yet
    report.buckets_written, report.buckets_removed = compact_kind(paths, kind, state)
    if inbox_signature is not None:
        _write_text(signature_path(paths, kind), f"{inbox_signature}\n{landed_signature(paths, kind)}")
    return report


# --- the unchanged kind -------------------------------------------------------------------------------------------
# At 3,000 regions a landing step that finds nothing new still checks 3,000–15,000 files one by one (stat cache,
# landed parts, stale parts, the state written back): 0.5–2.5 s a kind, on every night that brings one bulletin.
# A kind's signature is what its landing read (the inbox folder's names and stats, the catalog's, the reader's
# version, the limits, the landing code) and what it left (the stats of its state files, its parts and its
# buckets). It is recorded only at the end of a complete landing and removed at the start of any other, so a
# killed run never leaves a signature that claims more than was landed. The inbox half is taken before the files
# are listed: a file dropped while a landing runs is not in the recorded signature, so the next run lands it; and
# none is taken while an inbox file is younger than RACY_NS (rewritten within one clock tick, a file can keep its
# size, mtime and inode), as for the stat cache.


def signature_path(paths: Paths, kind: str) -> Path:
    """Two lines: the inbox half and the landed half of the kind's signature at the end of its last landing."""
    return paths.state_dir / f"landed_signature_{kind}.txt"


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _entries_digest(digest, folder: Path, prefix: str = "") -> int:
    """Names, types and stats (size, mtime_ns, inode) of a folder's entries, in name order: one stat each (a
    missing folder counts as an empty one). The newest modification time seen (0 for none)."""
    try:
        entries = sorted((e for e in os.scandir(folder) if e.name.startswith(prefix)), key=lambda e: e.name)
    except OSError:
        entries = []
    digest.update(f"{folder}\0".encode())
    newest = 0
    for entry in entries:
        try:
            st = entry.stat()  # follows a link: a link's target changing changes the signature
            identity, newest = identity_text(stat_identity(st)), max(newest, st.st_mtime_ns)
        except OSError:
            identity = "unreadable"
        link = os.readlink(entry.path) if entry.is_symlink() else ""
        digest.update(f"{entry.name}\0{entry.is_dir(follow_symlinks=False)}\0{link}\0{identity}\0".encode())
    return newest


_CODE_DIGEST: list[str] = []


def _landing_code_digest() -> str:
    """The readers' and the landing's own code (ingest/ and its packages): a new version of either checks the
    inbox file by file again."""
    if not _CODE_DIGEST:
        digest = hashlib.sha256()
        root = Path(__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        _CODE_DIGEST.append(digest.hexdigest())
    return _CODE_DIGEST[0]


def _inbox_signature(paths: Paths, kind: str, context: LandingContext) -> str | None:
    """The inbox half of the signature, or None while a file in it is too recent to be told apart by its stat."""
    digest = hashlib.sha256()
    reader = READERS.get(kind)
    digest.update(f"{reader.version if reader else 'none'}\0{context.limits!r}\0{_landing_code_digest()}\0".encode())
    newest = _entries_digest(digest, paths.inbox_dir(kind))
    if paths.catalog.is_dir():  # plan versions are judged against the reviewed catalog
        for folder, _, _ in sorted(os.walk(paths.catalog)):
            newest = max(newest, _entries_digest(digest, Path(folder)))
    return None if time.time_ns() - newest < RACY_NS else digest.hexdigest()


def landed_signature(paths: Paths, kind: str) -> str:
    """The landed half of the signature: this kind's state files, parts and buckets (the inbox half is
    `_inbox_signature`; the two are recorded on two lines, and the landed half is taken only when the inbox half
    matches)."""
    digest = hashlib.sha256()
    for path in (state_path(paths, kind), stat_cache_path(paths, kind), compaction_state_path(paths, kind),
                 skipped_path(paths, kind)):
        try:
            digest.update(f"{path.name}\0{identity_text(file_identity(path))}\0".encode())
        except OSError:
            digest.update(f"{path.name}\0missing\0".encode())
    parts = paths.landing / PARTS_DIR
    for table in INPUT_TABLES:
        _entries_digest(digest, parts / table, f"{kind}__")
        _entries_digest(digest, parts / table / SUPERSEDED_DIR, f"{kind}__")
        _entries_digest(digest, paths.landing / table, f"{kind}-b")
    return digest.hexdigest()


def _unchanged_report(kind: str, state: dict[str, dict]) -> LandingReport:
    outcomes = [_outcome(kind, e["file_name"], key.split(":")[1], e, parsed_now=False) for key, e in state.items()]
    return LandingReport(outcomes=sorted(outcomes, key=lambda o: o.name))


def _refresh_stats(paths: Paths, kind: str, state: dict[str, dict]) -> None:
    """Remember the stat of every landed part, taken at the end of the run (its bytes were checked or written in
    it), so the next run checks it by its stat instead of reading it; none for a part written within RACY_NS."""
    now_ns, root = time.time_ns(), str(paths.landing / PARTS_DIR)
    for key, entry in state.items():
        folder = f"/{SUPERSEDED_DIR}" if entry["status"] in ("superseded", "conflict") else ""
        stem, stats = f"{kind}__{key.split(':')[1][:16]}", {}
        for table in entry.get("landed", {}):
            try:  # strings, not Paths: this runs for every part of every run
                st = os.stat(f"{root}/{table}{folder}/{stem}{PART_SUFFIX}")
            except OSError:
                continue
            if now_ns - st.st_mtime_ns >= RACY_NS:
                stats[table] = [st.st_size, st.st_mtime_ns, st.st_ino]
        entry["landed_stat"] = stats


def compaction_state_path(paths: Paths, kind: str) -> Path:
    return paths.state_dir / f"compacted_{kind}.json"


def compact_kind(paths: Paths, kind: str, state: dict[str, dict]) -> tuple[int, int]:
    """Rewrite the buckets of one input kind whose members changed (or whose file is missing or damaged); remove
    the buckets left with no member. A bucket's members: the parts of its loaded files, each with its digest.
    (buckets written, buckets removed)."""
    record_path = compaction_state_path(paths, kind)
    before = _load_json(record_path)
    desired: dict[str, list[str]] = {}
    for key, entry in state.items():
        if entry["status"] != "loaded":  # quarantined files, superseded and conflicting plan versions: no rows
            continue
        sha = key.split(":")[1]
        stem, bucket = f"{kind}__{sha[:16]}", bucket_of(sha)
        for table in entry.get("tables", []):
            # bucket_path(paths, table, kind, bucket) relative to landing/, as a string (this runs for every part)
            rel = f"{table}/{kind}-b{bucket:02d}.parquet"
            desired.setdefault(rel, []).append(f"{stem}:{entry.get('landed', {}).get(table, '')[:16]}")
    after: dict[str, dict] = {}
    written = removed = 0
    for rel, ids in sorted(desired.items()):
        ids.sort()
        target = paths.landing / rel
        known = before.get(rel) or {}
        if known.get("members") == ids and _landed_intact(target, known.get("digest"), known.get("stat")):
            after[rel] = {**known, "stat": known.get("stat") or trusted_stat(target)}
            continue
        table = rel.split("/")[0]
        parts = [part_path(paths, table, member.split(":")[0]) for member in ids]
        did_write, digest = write_arrow_digest(target, _read_parts(table, parts))
        written += did_write
        after[rel] = {"members": ids, "digest": digest, "stat": trusted_stat(target)}
    for table in INPUT_TABLES:
        folder = paths.landing / table
        for path in folder.glob(f"{kind}-b*.parquet") if folder.is_dir() else ():
            if f"{table}/{path.name}" not in desired:
                path.unlink()
                removed += 1
    _save_json(record_path, after)
    return written, removed


def _read_parts(table: str, parts: list[Path]) -> pa.Table:
    """The rows of the given parts, in that order, with the table's schema."""
    schema = SCHEMAS[table]
    tables = [_conformed(read_part(p), schema) for p in parts]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _conformed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table with exactly the schema's columns (a part written before a column was added has none of it)."""
    if table.schema.equals(schema):
        return table
    columns = [
        table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _keep_or_set(state: dict[str, dict], key: str, name: str, now: str, place: str, reason: str) -> None:
    """Quarantine a file that is not parsed; an unchanged verdict keeps its first time (a rerun writes the same)."""
    entry = _entry("quarantined", name, now, place=place, reason=reason)
    known = state.get(key)
    if known and all(known.get(k) == entry[k] for k in ("status", "file_name", "place", "reason")):
        return
    state[key] = entry


def _oversize(path: Path, limits: Limits) -> InputError | None:
    try:
        check_size(path, limits)
    except InputError as exc:
        return exc
    except OSError:
        return None  # reported when it is read
    return None


def _entry(
    status: str,
    name: str,
    now: str,
    place: str | None = None,
    reason: str | None = None,
    tables: list[str] | None = None,
    n_records: int = 0,
) -> dict:
    return {
        "status": status,
        "file_name": name,
        "place": place,
        "reason": reason,
        "tables": tables or [],
        "n_records": n_records,
        "processed_at": now,
    }


def _with_hint(error: InputError) -> str:
    return f"{error.reason} ({error.hint})" if error.hint else error.reason


def skipped_path(paths: Paths, kind: str) -> Path:
    return paths.state_dir / f"skipped_{kind}.json"


def _save_skipped(paths: Paths, kind: str, skipped: list[Skipped], now: str) -> None:
    """The skipped entries, each with when it was first seen so (an unchanged inbox writes the same record)."""
    path = skipped_path(paths, kind)
    before = _load_state(path, lambda _: None)
    records = {}
    for s in skipped:
        record = {"status": "skipped", "reason": s.reason, "sha256": s.sha256}
        seen = before.get(s.name, {})
        same = all(seen.get(k) == v for k, v in record.items())
        records[s.name] = {**record, "processed_at": seen["processed_at"] if same else now}
    _save_json(path, records)


# --- plan versions ----------------------------------------------------------------------------------------------


def _plan_identity(
    paths: Paths, stem: str, catalog: list[CatalogEntry]
) -> tuple[str | None, str | None, list[tuple], int]:
    """(current plan id, document date, the tables' defining content, its drift from the catalog) of one landed
    plan file, wherever it is kept. The current plan is the document's own (an outline also holds the previous
    plan's review table)."""

    def table(name: str, columns: list[str]) -> list[dict]:
        for target in (part_path(paths, name, stem), part_path(paths, name, stem, superseded=True)):
            if target.exists():
                return read_part(target, columns).to_pylist()
        return []

    plans = table("plans", ["plan_id", "ordinal", "document_date"])
    targets = table("plan_targets", ["plan_id", "indicator_id", "kind", *DRIFT_FIELDS])
    content = sorted(tuple(str(v) for v in r.values()) for r in targets if r["kind"] == "table")
    if not plans:
        return None, None, content, 0
    own = {p["plan_id"] for p in plans}
    entries = [e for e in catalog if e.indicator_id.rsplit("-", 1)[0] in own]
    current = max(plans, key=lambda p: p["ordinal"] or 0)
    return current["plan_id"], current["document_date"], content, len(drift(targets, entries)) if entries else 0


def _move(paths: Paths, stem: str, table: str, superseded: bool) -> Path:
    main, side = part_path(paths, table, stem), part_path(paths, table, stem, superseded=True)
    source, target = (main, side) if superseded else (side, main)
    if source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    return target


def resolve_plan_versions(
    paths: Paths,
    state: dict[str, dict],
    outcomes: list[FileOutcome],
    expected: set[Path],
    progress: Progress,
    catalog: Callable[[], list[CatalogEntry]],
) -> list[FileOutcome]:
    """Several documents of the same plan: one is served, the others are kept and shown.
    - a later date in the document wins; the earlier-dated ones are older versions (superseded);
    - among documents of the same date (or with none) whose tables agree, the later arrival is served;
    - among documents of the same date (or with none) whose tables disagree, nothing says which is right: the one
      that agrees with the reviewed catalog, else the one that arrived first (the last good one), keeps being
      served, and each other is a conflict naming both files."""
    loaded = [o for o in outcomes if o.status in ("loaded", "superseded", "conflict")]
    by_plan: dict[str, list[FileOutcome]] = {}
    for o in loaded:
        entry = state[_state_key(o.kind, o.sha256)]
        if "plan_id" not in entry:  # a state from before versions: read the landed file once
            entry["plan_id"], entry["document_date"], _, _ = _plan_identity(paths, f"plans__{o.sha256[:16]}", [])
        if entry["plan_id"] is not None:
            by_plan.setdefault(entry["plan_id"], []).append(o)
    # the tables and their drift (so the reviewed catalog) are read only for plans with several documents
    several = [o for documents in by_plan.values() if len(documents) > 1 for o in documents]
    entries = catalog() if several else []
    identity = {o.sha256: _plan_identity(paths, f"plans__{o.sha256[:16]}", entries) for o in several}
    verdict: dict[str, tuple[str, str | None]] = {o.sha256: ("loaded", None) for o in loaded}
    for plan_id, documents in by_plan.items():
        if len(documents) < 2:
            continue
        newest = max(identity[o.sha256][1] or "" for o in documents)
        latest = sorted(
            (o for o in documents if (identity[o.sha256][1] or "") == newest), key=lambda o: _arrival(state, o)
        )
        first = min(latest, key=lambda o: (identity[o.sha256][3] > 0, _arrival(state, o)))
        agreeing = [o for o in latest if identity[o.sha256][2] == identity[first.sha256][2]]
        served = agreeing[-1]
        for o in documents:
            if o is served:
                continue
            if (identity[o.sha256][1] or "") != newest:
                reason = f"an older version of plan {plan_id} (dated {identity[o.sha256][1] or 'nowhere'}, "
                reason += f"{served.name} is dated {newest}): kept, not served"
                verdict[o.sha256] = ("superseded", reason)
            elif o in agreeing:
                reason = f"an earlier copy of plan {plan_id} with the same tables as {served.name}: kept, not served"
                verdict[o.sha256] = ("superseded", reason)
            else:
                verdict[o.sha256] = (
                    "conflict",
                    f"disagrees with {served.name} on plan {plan_id} (its tables differ and no later date in the "
                    f"document says it is a revision); {served.name} keeps being served. Keep the right document "
                    "in the inbox, or give the revision its date (e.g. 2021年3月1日) under the title",
                )
    result = []
    for o in outcomes:
        if o.sha256 not in verdict:
            result.append(o)
            continue
        status, reason = verdict[o.sha256]
        entry = state[_state_key(o.kind, o.sha256)]
        stem = f"plans__{o.sha256[:16]}"
        for table in entry.get("tables", []):
            target = _move(paths, stem, table, superseded=status != "loaded")
            expected.discard(part_path(paths, table, stem))
            if status == "loaded":
                expected.add(target)
        if status != entry["status"]:
            progress(f"  {o.name}: {status}{': ' + reason if reason else ''}")
        entry["status"], entry["reason"] = status, reason
        entry["place"] = "whole file" if reason else None
        result.append(_outcome(o.kind, o.name, o.sha256, entry, o.parsed_now))
    _remove_stale_versions(paths, {o.sha256[:16] for o in result if o.status in ("superseded", "conflict")})
    return result


def _arrival(state: dict[str, dict], o: FileOutcome) -> tuple[int, str, str]:
    entry = state[_state_key(o.kind, o.sha256)]
    return entry.get("arrival", 0), entry["processed_at"], o.name


def _remove_stale_versions(paths: Paths, kept: set[str]) -> None:
    parts = paths.landing / PARTS_DIR
    for path in parts.glob(f"*/{SUPERSEDED_DIR}/plans__*") if parts.is_dir() else ():
        if path.suffix != PART_SUFFIX or path.stem.removeprefix("plans__") not in kept:  # or of an older format
            path.unlink()


# (paths, today, catalog signature) → context: the steps of one run (land catalog, each kind, the checks) share
# one context while the catalog files stay as they were
_CONTEXTS: dict[tuple, LandingContext] = {}
# the code that turns the catalog files into the reference tables: a change of it lands them again
_REFERENCE_CODE = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / name).read_bytes()
        for name in ("catalog.py", "landing.py", "landing_schemas.py", "peer_groups.py", "themes.py", "figures.py")
    )
).hexdigest()[:16]


def catalog_signature(paths: Paths) -> str | None:
    """Name, size, mtime_ns and inode of every catalog file, or None when one changed within RACY_NS (then it is
    not trusted to stand for the content)."""
    folder = paths.catalog
    files = sorted({*(folder.iterdir() if folder.is_dir() else ()), paths.indicator_catalog})
    digest, now_ns = hashlib.sha256(_REFERENCE_CODE.encode()), time.time_ns()
    for path in files:
        try:
            stat = _stat_of(path)
        except OSError:
            stat = [-1, 0, 0]
        if now_ns - stat[1] < RACY_NS:
            return None
        digest.update(f"{path}\0{stat}\0".encode())
    return digest.hexdigest()


def catalog_context(paths: Paths, today: date | None = None) -> LandingContext:
    """The reviewed reference data every reader needs, loaded lazily and shared by the steps of a run while the
    catalog files are unchanged (by name, size, mtime and inode). An invalid catalog raises where it is used: it is
    configuration. `today`: the date years are checked against (the current date unless a test passes one)."""
    signature = catalog_signature(paths)
    if signature is None:
        return LandingContext(paths, today)
    key = (paths, today or date.today(), signature)
    if key not in _CONTEXTS:
        if len(_CONTEXTS) >= 8:
            _CONTEXTS.clear()
        _CONTEXTS[key] = LandingContext(paths, today)
    return _CONTEXTS[key]


def catalog_landed_path(paths: Paths) -> Path:
    return paths.state_dir / "catalog_landed.json"


def land_catalog(paths: Paths, today: date | None = None) -> tuple[LandingContext, int]:
    """Load and land the reference tables (catalog, themes, regions). Nothing is read or written when the catalog
    files, the code and the landed tables are as the last run left them (state/catalog_landed.json)."""
    context = catalog_context(paths, today)
    signature = catalog_signature(paths)
    known = _load_json(catalog_landed_path(paths))
    landed = known.get("files") or {}
    if (
        signature is not None
        and known.get("signature") == signature
        and set(landed) == set(REFERENCE_TABLES)
        and all(
            _landed_intact(paths.landing / table / "catalog.parquet", entry.get("digest"), entry.get("stat"))
            for table, entry in landed.items()
        )
    ):
        return context, 0
    written, digests = _write_reference_tables(paths, context.load_all())
    files = {
        table: {"digest": digest, "stat": trusted_stat(paths.landing / table / "catalog.parquet")}
        for table, digest in digests.items()
    }
    _save_json(catalog_landed_path(paths), {"signature": signature, "files": files})
    return context, written


def write_manifest(paths: Paths) -> int:
    """input_files: every current inbox entry with its hash and status, from the per-kind states (loaded,
    quarantined, superseded, conflict) and the skipped entries with their reason; plus an empty typed member for
    every landing table so that `<table>/*.parquet` always matches."""
    rows = []
    for kind in INPUT_KINDS:
        for key, entry in sorted(_load_state(state_path(paths, kind)).items()):
            rows.append(
                {
                    "input_kind": kind,
                    "file_name": entry.get("file_name"),
                    "sha256": key.split(":")[1],
                    "status": entry["status"],
                    "n_records": entry["n_records"],
                    "place": entry.get("place"),
                    "reason": entry.get("reason"),
                    "processed_at": datetime.fromisoformat(entry["processed_at"]),
                }
            )
        skipped = skipped_path(paths, kind)
        for name, entry in sorted(_load_state(skipped, lambda _: None).items()) if skipped.exists() else ():
            rows.append(
                {
                    "input_kind": kind,
                    "file_name": name,
                    "sha256": entry.get("sha256"),  # known only for an exact copy
                    "status": "skipped",
                    "n_records": 0,
                    "place": "whole file",
                    "reason": entry.get("reason"),
                    "processed_at": datetime.fromisoformat(entry["processed_at"]),
                }
            )
    written = write_table(paths.landing / "input_files" / "manifest.parquet", rows, "input_files")
    for table in SCHEMAS:
        written += write_table(paths.landing / table / "_empty.parquet", [], table)
    return written


def land_inputs(paths: Paths, progress: Progress = print, today: date | None = None) -> LandingReport:
    """Everything at once (the command line's way): catalog, every input kind, manifest."""
    context, written = land_catalog(paths, today)
    report = LandingReport(files_written=written)
    for kind in INPUT_KINDS:
        part = land_kind(paths, kind, context, progress)
        report.outcomes += part.outcomes
        report.files_written += part.files_written
        report.files_removed += part.files_removed
        report.buckets_written += part.buckets_written
        report.buckets_removed += part.buckets_removed
    report.files_written += write_manifest(paths)
    return report


def _tag(records: list[dict], table: str, kind: str, name: str, sha: str) -> list[dict]:
    """Every row with the hash of its input file; a rejection also with the file's kind and name."""
    if table != "rejections":
        return [{**r, "input_sha256": sha} for r in records]
    return [{"input_kind": kind, "file_name": name, "sha256": sha, **r, "input_sha256": sha} for r in records]


def _outcome(kind: str, name: str, sha: str, entry: dict, parsed_now: bool) -> FileOutcome:
    return FileOutcome(
        kind,
        name,
        sha,
        entry["status"],
        entry["n_records"],
        entry.get("place"),
        entry.get("reason"),
        entry["processed_at"],
        parsed_now,
    )


REFERENCE_TABLES = (
    "catalog_indicators",
    "catalog_themes",
    "catalog_regions",
    "catalog_figure_names",
    "catalog_peer_groups",
    "catalog_peer_metrics",
)


def _write_reference_tables(paths: Paths, context: LandingContext) -> tuple[int, dict[str, str]]:
    regions = load_regions(paths.catalog / "regions.yaml")
    groups, peer_metrics = load_peer_groups(paths.catalog / "peer_groups.yaml", {r.code for r, _ in regions})
    tables = {
        "catalog_indicators": catalog_records(context.catalog),
        "catalog_themes": [
            {"theme_code": t.code, "theme_zh": t.name_zh, "theme_en": t.name_en, "sort_order": t.sort_order}
            for t in context.themes.themes
        ],
        "catalog_regions": [{"region_code": r.code, "name_zh": r.name_zh, "slug": r.slug} for r, _ in regions],
        "catalog_figure_names": [
            {"name_zh": name, "metric_key": m.metric, "unit": m.unit} for name, m in context.figure_names.items()
        ],
        "catalog_peer_groups": peer_group_records(groups),
        "catalog_peer_metrics": peer_metric_records(peer_metrics),
    }
    written, digests = 0, {}
    for table, records in tables.items():
        did_write, digests[table] = write_table_digest(paths.landing / table / "catalog.parquet", records, table)
        written += did_write
    return written, digests


def _remove_stale(paths: Paths, prefix: str, expected: set[Path]) -> int:
    """Remove the parts (of one kind: prefix) no current file landed, Parquet parts of the older format included;
    and the parts an older layout kept where dbt reads (landing/<table>/<kind>__*.parquet and its _versions/),
    which every file lands again to replace."""
    removed = 0
    parts = paths.landing / PARTS_DIR
    for path in parts.glob(f"*/{prefix}*") if parts.is_dir() else ():
        if path not in expected:
            path.unlink()
            removed += 1
    if paths.landing.is_dir():
        for pattern in (f"*/{prefix}*.parquet", f"*/{SUPERSEDED_DIR}/{prefix}*.parquet"):
            for path in paths.landing.glob(pattern):
                if not path.is_relative_to(parts):
                    path.unlink()
    return removed


def _save_json(path: Path, state: dict) -> None:
    # one line: an indent would use json's pure-Python encoder (a second for a state of 15,000 files)
    data = json.dumps(state, ensure_ascii=False, sort_keys=True)
    if _read_text(path) != data:  # unchanged: not written (its stat stays, so a kind's signature still matches)
        _write_text(path, data)
