"""Landing: inbox files → Parquet tables under warehouse/landing/, by content hash.

- Inputs are never moved or edited. Each file is identified by the SHA-256 of its bytes (plus the version of the
  reader that parsed it), so a rerun with unchanged inputs parses nothing and rewrites nothing.
- Each input file lands as one Parquet file per table (`<table>/<kind>__<sha16>.parquet`); a file that leaves the
  inbox takes its Parquet files with it. dbt reads each table as `<table>/*.parquet`.
- A file that cannot be read is quarantined (file, place, reason) and the rest of the run goes on. The catalog is
  configuration, not input: an invalid catalog stops the run.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.bulletins import ExtractionResult, extract_file
from ingest.catalog import CatalogEntry, catalog_records, load_catalog, load_regions
from ingest.errors import InputError
from ingest.figures import MetricName, load_figure_names
from ingest.landing_schemas import SCHEMAS
from ingest.peer_groups import load_peer_groups, peer_group_records, peer_metric_records
from ingest.plan_document import (
    plan_metric_patterns,
    plan_records,
    read_plan_file,
    rejection_records,
    review_records,
    target_records,
)
from ingest.plan_formats import SUFFIXES as PLAN_SUFFIXES
from ingest.published import read_published_file
from ingest.submissions import SubmissionIndex, read_submission_file, submission_index
from ingest.themes import ThemeRules, load_theme_rules
from planwatch.faults import pause_point
from planwatch.paths import INPUT_KINDS, Paths

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LandingContext:
    paths: Paths
    themes: ThemeRules
    catalog: list[CatalogEntry]
    figure_names: dict[str, MetricName]
    region_by_slug: dict[str, str]

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
    tables = {
        "plans": plan_records(document),
        "plan_targets": target_records(document, context.themes, plan_metric_patterns(context.paths.catalog)),
        "plan_review_figures": review_records(document),
    }
    if document.rejections:  # rows the reader could not interpret (quarantined); the rest lands
        tables["rejections"] = rejection_records(document)
    return tables


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
    figures = [
        {**record, "figure_kind": getattr(f, "kind", "level"), "document_title": result.title}
        for record, f in zip(figure_records(result), result.figures, strict=True)
    ]
    rejections = [{"place": r.locator, "reason": r.reason, "excerpt": r.excerpt} for r in result.rejections]
    return {"bulletin_figures": figures, "rejections": rejections}


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
    figures, rejections = read_published_file(path, context.figure_names)
    return {"published_figures": figures, "rejections": rejections}


def _land_submission(path: Path, context: LandingContext) -> dict[str, list[dict]]:
    values, rejections = read_submission_file(path, context.catalog, context.region_by_slug, context.submission_index)
    return {"submission_values": values, "rejections": rejections}


READERS: dict[str, Reader] = {
    "plans": Reader("plans-3", PLAN_SUFFIXES, _land_plan, slow=True),
    "bulletins": Reader("bulletins-2", (".txt", ".htm", ".html", ".pdf", ".docx"), _land_bulletin, slow=True),
    "published": Reader("published-2", (".csv",), _land_published),
    "submissions": Reader("submissions-1", (".xlsx", ".csv"), _land_submission),
}


@dataclass
class FileOutcome:
    kind: str
    name: str
    sha256: str
    status: str  # loaded · quarantined
    n_records: int
    place: str | None
    reason: str | None
    processed_at: str  # ISO time of the first processing of this content
    parsed_now: bool  # parsed in this run (False: unchanged since an earlier run)


@dataclass
class LandingReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    files_written: int = 0
    files_removed: int = 0

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
            f"{self.files_removed} removed"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_table(path: Path, records: list[dict], table_name: str) -> bool:
    """Write records as Parquet atomically; leave the file untouched when the bytes would not change."""
    schema = SCHEMAS[table_name]
    unknown = {key for record in records for key in record} - set(schema.names)
    if unknown:  # pyarrow would drop them silently
        raise ValueError(f"landing table {table_name} has no column for {sorted(unknown)}; update landing_schemas.py")
    table = pa.Table.from_pylist(records, schema=schema) if records else schema.empty_table()
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    data = buffer.getvalue()
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def _inbox_files(paths: Paths) -> list[tuple[str, Path]]:
    files = []
    for kind in INPUT_KINDS:
        folder = paths.inbox_dir(kind)
        if folder.is_dir():
            files += [
                (kind, p) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith((".", "README"))
            ]
    return files


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
    try:
        return reader.handle(path, context), None
    except InputError as exc:
        return {}, exc
    except (ValueError, KeyError, OSError) as exc:  # a reader bug or unreadable file: quarantine, never crash the run
        return {}, InputError(path.name, "whole file", f"{type(exc).__name__}: {exc}")


def _load_state(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text()) if path.exists() else {}


def state_path(paths: Paths, kind: str) -> Path:
    return paths.state_dir / f"inputs_{kind}.json"


# Parsing is independent per file and pure; writing Parquet and the state stays in this process, in inbox
# order, so a killed run and its pause points behave as with one process. A spawned worker needs ~9 s to start
# (it imports the parsers and the caller's main module, which under Dagster is Dagster) and then loads the catalog
# context, while a bulletin or plan parses in 8-15 ms: a pool pays off from about 2,000 such files. Submissions
# and published figures parse too fast to gain (at 3,000 files each the pool made them slower; bench/README.md).
PARALLEL_MIN_FILES = 2000


def landing_workers() -> int:
    configured = os.environ.get("PLANWATCH_LANDING_WORKERS", "").strip()
    return max(1, int(configured)) if configured else min(4, os.cpu_count() or 1)


_WORKER_CONTEXTS: dict[Paths, LandingContext] = {}


def _parse_in_worker(kind: str, path: Path, sha: str, paths: Paths) -> tuple[dict[str, list[dict]], InputError | None]:
    context = _WORKER_CONTEXTS.get(paths)
    if context is None:
        context = _WORKER_CONTEXTS[paths] = catalog_context(paths)
    return _land_file(kind, path, sha, context)


def _use_pool(kind: str, n_pending: int) -> bool:
    reader = READERS.get(kind)
    return reader is not None and reader.slow and landing_workers() > 1 and n_pending >= PARALLEL_MIN_FILES


def _parsed(
    kind: str, pending: list[tuple[int, Path, str]], context: LandingContext
) -> Iterator[tuple[dict[str, list[dict]], InputError | None]]:
    """The parse of each pending file, in order: in a process pool when there are many, else here."""
    workers = landing_workers()
    if not _use_pool(kind, len(pending)):
        for _, path, sha in pending:
            yield _land_file(kind, path, sha, context)
        return
    # spawn, not fork: the caller may be a threaded Dagster process
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        n = len(pending)
        yield from pool.map(
            _parse_in_worker,
            [kind] * n,
            [path for _, path, _ in pending],
            [sha for _, _, sha in pending],
            [context.paths] * n,
            chunksize=max(1, min(16, n // (workers * 8))),
        )


def land_kind(paths: Paths, kind: str, context: LandingContext, progress: Progress = print) -> LandingReport:
    """Land the new or changed files of one input kind; drop the landing files of what left the inbox."""
    state = _load_state(state_path(paths, kind))
    report = LandingReport()
    expected: set[Path] = set()
    files = [p for k, p in _inbox_files(paths) if k == kind]
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    outcomes: list[FileOutcome | None] = [None] * len(files)
    pending: list[tuple[int, Path, str]] = []
    for index, path in enumerate(files):
        sha = sha256_of(path)
        known = state.get(_state_key(kind, sha))
        stem = f"{kind}__{sha[:16]}"
        targets = [paths.landing / table / f"{stem}.parquet" for table in (known or {}).get("tables", [])]
        if known and all(t.exists() for t in targets):
            expected.update(targets)
            outcomes[index] = _outcome(kind, path.name, sha, known, parsed_now=False)
        else:
            pending.append((index, path, sha))
    if _use_pool(kind, len(pending)):
        progress(f"[{kind}] reading {len(pending)} files with {landing_workers()} processes")
    for (index, path, sha), (tables, error) in zip(pending, _parsed(kind, pending, context), strict=True):
        key, stem = _state_key(kind, sha), f"{kind}__{sha[:16]}"
        progress(f"[{kind} {index + 1}/{len(files)}] read {path.name}")
        if error is not None:
            progress(f"  quarantined: {error}")
            state[key] = {
                "status": "quarantined",
                "place": error.place,
                "reason": error.reason,
                "tables": [],
                "n_records": 0,
                "processed_at": now,
            }
        else:
            for table, records in tables.items():
                target = paths.landing / table / f"{stem}.parquet"
                report.files_written += write_table(target, _tag(records, table, kind, path.name, sha), table)
                expected.add(target)
            pause_point("after_first_landing_file")
            n_records = sum(len(r) for t, r in tables.items() if t != "rejections")
            state[key] = {
                "status": "loaded",
                "place": None,
                "reason": None,
                "tables": sorted(tables),
                "n_records": n_records,
                "processed_at": now,
            }
            progress(f"  landed {n_records} records in {', '.join(sorted(tables))}")
        state[key]["file_name"] = path.name
        outcomes[index] = _outcome(kind, path.name, sha, state[key], parsed_now=True)
    report.outcomes = [o for o in outcomes if o is not None]
    report.files_removed += _remove_stale(paths, f"{kind}__", expected)
    current = {_state_key(o.kind, o.sha256) for o in report.outcomes}
    _save_json(state_path(paths, kind), {k: v for k, v in state.items() if k in current})
    return report


def catalog_context(paths: Paths) -> LandingContext:
    """The reviewed reference data every reader needs. An invalid catalog raises: it is configuration."""
    themes = load_theme_rules(paths.catalog / "themes.yaml")
    catalog = load_catalog(paths.indicator_catalog, set(themes.codes), cache_dir=paths.state_dir)
    figure_names = load_figure_names(paths.catalog / "figure_names.yaml")
    regions = {region.slug: region.code for region, _ in load_regions(paths.catalog / "regions.yaml")}
    return LandingContext(paths, themes, catalog, figure_names, regions)


def land_catalog(paths: Paths) -> tuple[LandingContext, int]:
    """Load and land the reference tables (catalog, themes, regions)."""
    context = catalog_context(paths)
    return context, _write_reference_tables(paths, context)


def write_manifest(paths: Paths) -> int:
    """input_files: every current inbox file with its hash and status, from the per-kind states; plus an empty
    typed member for every landing table so that `<table>/*.parquet` always matches."""
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
    written = write_table(paths.landing / "input_files" / "manifest.parquet", rows, "input_files")
    for table in SCHEMAS:
        written += write_table(paths.landing / table / "_empty.parquet", [], table)
    return written


def land_inputs(paths: Paths, progress: Progress = print) -> LandingReport:
    """Everything at once (the command line's way): catalog, every input kind, manifest."""
    context, written = land_catalog(paths)
    report = LandingReport(files_written=written)
    for kind in INPUT_KINDS:
        part = land_kind(paths, kind, context, progress)
        report.outcomes += part.outcomes
        report.files_written += part.files_written
        report.files_removed += part.files_removed
    report.files_written += write_manifest(paths)
    return report


def _tag(records: list[dict], table: str, kind: str, name: str, sha: str) -> list[dict]:
    if table != "rejections":
        return records
    return [{"input_kind": kind, "file_name": name, "sha256": sha, **r} for r in records]


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


def _write_reference_tables(paths: Paths, context: LandingContext) -> int:
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
    written = 0
    for table, records in tables.items():
        written += write_table(paths.landing / table / "catalog.parquet", records, table)
    return written


def _remove_stale(paths: Paths, prefix: str, expected: set[Path]) -> int:
    removed = 0
    for path in paths.landing.glob(f"*/{prefix}*.parquet") if paths.landing.is_dir() else ():
        if path not in expected:
            path.unlink()
            removed += 1
    return removed


def _save_json(path: Path, state: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True)
    if path.exists() and path.read_text() == data:
        return
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(data)
    os.replace(temporary, path)
