"""The indicator catalog (catalog/indicators.yaml): people decide what each table indicator means; the parser
only proposes. Loading validates every entry; `drift` reports where the parsed plan and the catalog disagree."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from ingest.plan_tables import Region
from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load

ACTUAL_KINDS = ("metric", "ratio", "chain_growth", "submission", "plan_result")
PATHS = ("linear", "geometric")
AGGREGATIONS = ("final_year", "average", "cumulative")
ACCUMULATIONS = ("sum", "compound")
# Fields whose text the parser also reads: a difference is drift.
DRIFT_FIELDS = ("name_zh", "unit", "baseline_text", "target_text", "result_text")


@dataclass(frozen=True)
class CatalogEntry:
    indicator_id: str
    name_zh: str
    name_en: str
    unit: str | None
    baseline_text: str | None
    target_text: str
    result_text: str | None
    theme_code: str
    direction: int
    price_basis: str | None
    path: str | None
    aggregation: str
    accumulation: str | None
    actual_kind: str
    actual_metric: str | None
    numerator_metric: str | None
    denominator_metric: str | None
    ratio_scale: float | None
    cross_check_metric: str | None
    cross_check_scale: float | None
    plausible_low: float | None
    plausible_high: float | None
    structure_component: int | None
    note: str | None


@dataclass(frozen=True)
class Drift:
    indicator_id: str
    field: str
    parsed: str | None
    catalog: str | None

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.field} parsed {self.parsed!r}, catalog {self.catalog!r}"


def _entry(item: dict, theme_codes: set[str]) -> CatalogEntry:
    actual = item.get("actual") or {}
    kind = actual.get("kind")
    if kind not in ACTUAL_KINDS:
        raise ValueError(f"actual.kind {kind!r} is not one of {', '.join(ACTUAL_KINDS)}")
    if kind in ("metric", "chain_growth") and not actual.get("metric"):
        raise ValueError(f"actual.kind {kind} needs actual.metric")
    if kind == "ratio" and not (actual.get("numerator") and actual.get("denominator")):
        raise ValueError("actual.kind ratio needs numerator and denominator")
    theme = item.get("theme")
    if theme not in theme_codes:
        raise ValueError(f"theme {theme!r} is not one of {', '.join(sorted(theme_codes))}")
    direction = item.get("direction")
    if direction not in (1, -1):
        raise ValueError(f"direction must be 1 or -1, not {direction!r}")
    if item.get("path") not in (*PATHS, None):
        raise ValueError(f"path {item.get('path')!r} is not linear/geometric/null")
    if item.get("aggregation") not in AGGREGATIONS:
        raise ValueError(f"aggregation {item.get('aggregation')!r} is not one of {', '.join(AGGREGATIONS)}")
    accumulation = item.get("accumulation")
    if (item["aggregation"] == "cumulative") != (accumulation in ACCUMULATIONS):
        raise ValueError("accumulation (sum/compound) is required for cumulative targets and only for them")
    plausible = item.get("plausible")
    if plausible is not None and (len(plausible) != 2 or plausible[0] > plausible[1]):
        raise ValueError(f"plausible must be [low, high], not {plausible!r}")
    cross = actual.get("cross_check") or {}
    if cross and (cross.get("kind") != "metric" or not cross.get("metric")):
        raise ValueError("actual.cross_check must be {kind: metric, metric: <key>, scale: s}")
    return CatalogEntry(
        indicator_id=str(item["id"]),
        name_zh=str(item["name_zh"]),
        name_en=str(item["name_en"]),
        unit=item.get("unit"),
        baseline_text=item.get("baseline_text"),
        target_text=str(item["target_text"]),
        result_text=item.get("result_text"),
        theme_code=theme,
        direction=direction,
        price_basis=item.get("price_basis"),
        path=item.get("path"),
        aggregation=item["aggregation"],
        accumulation=accumulation,
        actual_kind=kind,
        actual_metric=actual.get("metric"),
        numerator_metric=actual.get("numerator"),
        denominator_metric=actual.get("denominator"),
        ratio_scale=float(actual["scale"]) if "scale" in actual else None,
        cross_check_metric=cross.get("metric"),
        cross_check_scale=float(cross["scale"]) if "scale" in cross else None,
        plausible_low=float(plausible[0]) if plausible else None,
        plausible_high=float(plausible[1]) if plausible else None,
        structure_component=item.get("structure_component"),
        note=item.get("note"),
    )


# (kind, content hash, …) → parsed result: one pipeline run reads the same catalog in several steps, and a
# catalog of thousands of plans takes a minute to parse
_MEMO: dict[tuple, list] = {}


def _read(path: Path, what: str) -> tuple[str, str]:
    """(text, content hash) of a catalog file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, "whole file", f"cannot read the {what}: {exc}") from exc
    return data.decode("utf-8"), hashlib.blake2b(data, digest_size=16).hexdigest()


def _remember(key: tuple, value: list) -> list:
    if len(_MEMO) >= 16:
        _MEMO.clear()
    _MEMO[key] = value
    return list(value)


def load_catalog(
    path: Path, theme_codes: set[str], cache_dir: Path | None = None, workers: int = 1
) -> list[CatalogEntry]:
    """Every entry, validated. `cache_dir` (the warehouse's state folder): keep the validated entries there as
    JSON by content hash, so that later runs skip the YAML parse (a minute for a catalog of 3,000 plans).
    `workers` > 1: a large catalog's chunks are parsed in that many processes."""
    text, digest = _read(path, "catalog")
    key = ("catalog", digest, frozenset(theme_codes))
    if key in _MEMO:
        return list(_MEMO[key])
    cached = _cache_file(cache_dir, digest, theme_codes) if cache_dir is not None else None
    entries = _read_cache(cached) if cached is not None else None
    if entries is None:
        entries = _load_catalog(path, text, theme_codes, workers)
        if cached is not None:
            _write_cache(cached, entries)
    return _remember(key, entries)


_CACHE_FIELDS = [f.name for f in fields(CatalogEntry)]
# the cache is only good for the code that validated it: any change to this module parses again
_CODE_HASH = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=4).hexdigest()


def _cache_file(cache_dir: Path, digest: str, theme_codes: set[str]) -> Path:
    themes = hashlib.blake2b("\0".join(sorted(theme_codes)).encode(), digest_size=8).hexdigest()
    return cache_dir / f"catalog-{digest}-{themes}-{_CODE_HASH}.json"


def _read_cache(path: Path) -> list[CatalogEntry] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("fields") != _CACHE_FIELDS:  # CatalogEntry changed since: parse again
            return None
        return [CatalogEntry(*values) for values in document["entries"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_cache(path: Path, entries: list[CatalogEntry]) -> None:
    """Best effort: a cache that cannot be written only costs the next run a parse."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        rows = [[getattr(e, name) for name in _CACHE_FIELDS] for e in entries]
        temporary.write_text(json.dumps({"fields": _CACHE_FIELDS, "entries": rows}, ensure_ascii=False), "utf-8")
        os.replace(temporary, path)
        for old in path.parent.glob("catalog-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


CHUNK_ITEMS = 2000  # entries parsed at a time (a catalog of 10,000 plans has 600,000)


def _item_chunks(text: str) -> Iterator[str] | None:
    """The block list `indicators:` as YAML documents of CHUNK_ITEMS entries each, or None when the file is not a
    plain top-level block list (then it is parsed whole). Parsing a 250 MB catalog whole held 10 GB of YAML nodes
    at once (bench/RESULTS.md); by chunks only the entries stay. An entry's own lines are indented deeper than its
    `- `, so a line starting with the list's `- ` always starts an entry."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "indicators:")
    except StopIteration:
        return None
    first = next((line for line in lines[start + 1 :] if line.strip() and not line.lstrip().startswith("#")), "")
    prefix = first[: len(first) - len(first.lstrip())] + "- "
    if not first.startswith(prefix):
        return None
    body = lines[start + 1 :]
    if any(line.strip() and not line.startswith((" ", "#", "\n")) for line in body):
        return None  # another top-level key follows the list: parse whole

    def chunks() -> Iterator[str]:
        chunk: list[str] = []
        items = 0
        for line in body:
            if line.startswith(prefix):
                if items == CHUNK_ITEMS:
                    yield "indicators:\n" + "".join(chunk)
                    chunk, items = [], 0
                items += 1
            chunk.append(line)
        if chunk:
            yield "indicators:\n" + "".join(chunk)

    return chunks()


def _parse_chunk(chunk: str, first_index: int, theme_codes: frozenset[str]) -> list[CatalogEntry] | tuple:
    """The validated entries of one chunk; or ("yaml", message) / ("entry", index, id, message) for what is wrong
    (plain values: they cross a process boundary)."""
    try:
        document = safe_load(chunk)
    except yaml.YAMLError as exc:
        return ("yaml", str(exc))
    entries, codes = [], set(theme_codes)
    for offset, item in enumerate((document or {}).get("indicators") or []):
        try:
            entries.append(_entry(item, codes))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            item_id = item.get("id", "?") if isinstance(item, dict) else "?"
            return ("entry", first_index + offset, item_id, str(exc))
    return entries


def _parsed_chunks(text: str, theme_codes: frozenset[str], workers: int) -> Iterator[list[CatalogEntry] | tuple]:
    """Each chunk's result in file order: in `workers` processes when the catalog has several chunks (the YAML
    parse is most of a full landing at 3,000 plans: 111 s in one process), else here."""
    chunks = _item_chunks(text)
    if chunks is None:
        yield _parse_chunk(text, 0, theme_codes)
        return
    numbered = _chunk_starts(chunks)
    head = list(itertools.islice(numbered, 2))
    if len(head) < 2 or workers <= 1 or multiprocessing.parent_process() is not None:
        for chunk, start in itertools.chain(head, numbered):
            yield _parse_chunk(chunk, start, theme_codes)
        return
    # spawn, not fork (the caller may be a threaded Dagster process); at most 2 chunks per worker in flight
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        window: deque = deque()
        for chunk, start in itertools.chain(head, numbered):
            window.append(pool.submit(_parse_chunk, chunk, start, theme_codes))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _chunk_starts(chunks: Iterator[str]) -> Iterator[tuple[str, int]]:
    """(chunk, index of its first entry)."""
    for number, chunk in enumerate(chunks):
        yield chunk, number * CHUNK_ITEMS


def _whole_file_error(text: str) -> yaml.YAMLError | None:
    """The error with its place in the whole file, not in a chunk (parsed whole only on this error path)."""
    try:
        safe_load(text)
    except yaml.YAMLError as exc:
        return exc
    return None


def _load_catalog(path: Path, text: str, theme_codes: set[str], workers: int = 1) -> list[CatalogEntry]:
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for result in _parsed_chunks(text, frozenset(theme_codes), workers):
        if isinstance(result, tuple) and result[0] == "yaml":
            problem = _whole_file_error(text) or result[1]
            raise InputError(path, "whole file", f"cannot read the catalog: {problem}")
        if isinstance(result, tuple):
            _, index, item_id, message = result
            raise InputError(
                path, f"indicators[{index}] ({item_id})", f"invalid entry: {message}", "fix the entry and rerun"
            )
        for entry in result:
            if entry.indicator_id in seen:
                place = f"indicators[{len(entries)}] ({entry.indicator_id})"
                raise InputError(path, place, f"duplicate id {entry.indicator_id}")
            seen.add(entry.indicator_id)
            entries.append(entry)
    return entries


def load_regions(path: Path) -> list[tuple[Region, tuple[str, ...]]]:
    """Known regions with the names that identify them in document titles."""
    text, digest = _read(path, "regions")
    key = ("regions", digest)
    if key in _MEMO:
        return list(_MEMO[key])
    return _remember(key, _load_regions(path, text))


def _load_regions(path: Path, text: str) -> list[tuple[Region, tuple[str, ...]]]:
    try:
        document = safe_load(text)
        return [
            (
                Region(code=str(r["code"]), slug=str(r["slug"]), name_zh=str(r["name_zh"])),
                (*tuple(r.get("aliases") or ()), str(r["name_zh"]), str(r.get("full_name_zh") or r["name_zh"])),
            )
            for r in document["regions"]
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise InputError(path, "whole file", f"cannot read the regions: {exc}") from exc


def region_of(title: str, regions: list[tuple[Region, tuple[str, ...]]], file: str) -> Region:
    """The region a document is about, from its title: the longest known name it contains."""
    best: tuple[int, Region] | None = None
    for region, names in regions:
        for name in names:
            if name in title and (best is None or len(name) > best[0]):
                best = (len(name), region)
    if best is None:
        raise InputError(file, "title", f"names no known region: {title[:60]!r}", "add the region to regions.yaml")
    return best[1]


def reviewed_plan_id(entry: CatalogEntry) -> str:
    """The plan an entry of the reviewed catalog belongs to (its id without the row part)."""
    return entry.indicator_id.rsplit("-", 1)[0]


def drift(parsed: list[dict], entries: list[CatalogEntry]) -> list[Drift]:
    """Disagreements between parsed table rows and the catalog (narrative targets are not catalogued). Only plans
    the reviewed catalog covers can drift: a plan with no reviewed entry is pending review (待审核), not drift."""
    reviewed_plans = {reviewed_plan_id(e) for e in entries}
    rows = {r["indicator_id"]: r for r in parsed if r["kind"] == "table" and r["plan_id"] in reviewed_plans}
    by_id = {e.indicator_id: e for e in entries}
    found = [Drift(i, "entry", "parsed row", None) for i in sorted(rows.keys() - by_id.keys())]
    found += [Drift(i, "entry", None, "catalog entry") for i in sorted(by_id.keys() - rows.keys())]
    for indicator_id in sorted(rows.keys() & by_id.keys()):
        row, entry = rows[indicator_id], by_id[indicator_id]
        for field in DRIFT_FIELDS:
            if row.get(field) != getattr(entry, field):
                found.append(Drift(indicator_id, field, row.get(field), getattr(entry, field)))
    return found


_ENTRY_FIELDS = tuple(f.name for f in fields(CatalogEntry))


def catalog_records(entries: list[CatalogEntry]) -> list[dict]:
    # every field is a scalar: no need for asdict's recursive deep copy (seconds for 180k entries)
    return [{name: getattr(entry, name) for name in _ENTRY_FIELDS} for entry in entries]
