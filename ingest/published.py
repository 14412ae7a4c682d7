"""Published figures (inbox/published/*.csv): real figures found in public sources, one row per figure with its
URL. Row problems are rejected row by row with a reason; a file whose columns are wrong is rejected whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ingest.figures import MetricName, to_metric_unit
from ingest.guard import DEFAULT_LIMITS, csv_field_limit, too_long_cells
from ingest.plausibility import Gate, default_gate
from planwatch_core.errors import InputError
from planwatch_core.paths import REPO_ROOT

COLUMNS = ("region_code", "year", "indicator_zh", "value", "unit", "value_kind", "note", "source_kind", "source_url")
SEEDS = REPO_ROOT / "dbt_project" / "seeds"  # the enumerations, one definition each (dbt seeds)


def _seed_column(name: str, column: str, where: str | None = None) -> tuple[str, ...]:
    """One column of a dbt seed, in file order; only the rows whose boolean column `where` is true when given."""
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(r[column] for r in csv.DictReader(handle) if where is None or r[where].lower() == "true")


VALUE_KINDS = _seed_column("value_kinds", "value_kind")
SOURCE_KINDS = _seed_column("source_kinds", "source_kind", where="in_published_csv")
OPTIONAL_COLUMNS = ("source_place",)  # where in the page, e.g. "一、综合 第1段"; kept in the locator when given
TEXT_UNITS = ("比例",)  # structures such as 9.5:44:46.5 stay text


def read_published(
    data: bytes, file_name: str, names: dict[str, MetricName], gate: Gate | None = None
) -> tuple[list[dict], list[dict]]:
    """(figures, rejections) of one published-figures CSV. Every figure passes the plausibility gate (today's by
    default)."""
    gate = gate or default_gate()
    with csv_field_limit(DEFAULT_LIMITS.max_csv_field_chars):  # a long cell rejects its row, not the file
        return _read_published(data, file_name, names, gate)


def _read_published(
    data: bytes, file_name: str, names: dict[str, MetricName], gate: Gate
) -> tuple[list[dict], list[dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(file_name, f"byte {exc.start}", "not UTF-8 text", "save the CSV as UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            file_name,
            "header (row 1)",
            f"missing columns {', '.join(missing)}",
            f"the columns are: {', '.join(COLUMNS)}",
        )
    figures, rejections = [], []
    for raw in _rows_or_error(reader, file_name):
        row_number = reader.line_num  # the line the row ends on (a quoted cell may span lines)
        place = f"row {row_number}"
        long_cell = too_long_cells(raw)
        row = {c: ("" if isinstance(raw.get(c), list) else (raw.get(c) or "")) for c in (*COLUMNS, *OPTIONAL_COLUMNS)}
        excerpt = ",".join(row[c][:200] for c in COLUMNS[:8])
        try:
            if long_cell:
                raise ValueError(long_cell)
            missing = [c for c in COLUMNS if raw.get(c) is None]
            if missing:
                raise ValueError(f"the row has no cells for {', '.join(missing)}: fill every column, even if empty")
            figures.append(_figure(row, row_number, file_name, names, gate))
        except ValueError as exc:
            rejections.append({"place": place, "reason": str(exc), "excerpt": excerpt})
    return figures, rejections


def _rows_or_error(reader: csv.DictReader, file_name: str) -> Iterator[dict]:
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a cell over the field limit: the rest of the file cannot be trusted
        raise InputError(
            file_name, f"line {reader.line_num + 1}", f"not readable as CSV: {exc}", "check the cell on that line"
        ) from None


def _figure(row: dict, row_number: int, file_name: str, names: dict[str, MetricName], gate: Gate) -> dict:
    region = (row["region_code"] or "").strip()
    if not region.isdigit() or len(region) != 6:
        raise ValueError(f"region_code {region!r} is not a 6-digit division code")
    year_text = row["year"].strip()
    if not year_text.isascii() or not year_text.isdigit():
        raise ValueError(f"year {row['year']!r} is not a year (four digits, e.g. 2023)")
    year = int(year_text)
    year_problem = gate.year(year)
    if year_problem:
        raise ValueError(year_problem)
    value_kind, source_kind = row["value_kind"].strip(), row["source_kind"].strip()
    if value_kind not in VALUE_KINDS:
        raise ValueError(f"value_kind {value_kind!r} is not one of {', '.join(VALUE_KINDS)}")
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind {source_kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    url_problem = gate.url(row["source_url"])
    if url_problem:
        raise ValueError(url_problem)
    name, unit, value_text = row["indicator_zh"].strip(), row["unit"].strip(), row["value"].strip()
    value: float | None = None
    if unit not in TEXT_UNITS:
        try:
            value = float(value_text)
        except ValueError:
            raise ValueError(f"value {value_text!r} is not a number") from None
    mapped = names.get(name)
    metric_value, metric_unit = value, unit
    if mapped and value is not None:
        metric_value = to_metric_unit(value, unit, mapped.unit)
        if metric_value is None:
            raise ValueError(f"unit {unit!r} does not convert to {mapped.unit!r} ({mapped.metric})")
        metric_unit = mapped.unit
    problem = gate.value(metric_value, mapped.metric if mapped else None, metric_unit if mapped else None)
    if problem:
        raise ValueError(problem)
    place = (row.get("source_place") or "").strip()
    where = f"{row['source_url'].strip()} {place}" if place else row["source_url"].strip()
    excerpt = f"{year}年 {name} {value_text}{'' if unit in TEXT_UNITS else unit}" + (
        f"（{row['note'].strip()}）" if row["note"].strip() else ""
    )
    return {
        "region_code": region,
        "year": year,
        "name_zh": name,
        "metric_key": mapped.metric if mapped else None,
        "value": metric_value,
        "value_text": value_text,
        "unit": metric_unit,
        "raw_unit": unit,
        "value_kind": value_kind,
        "note": row["note"].strip() or None,
        "source_kind": source_kind,
        "source_url": row["source_url"].strip(),
        # the page is the document and its address the locator; our transcription row is kept beside it
        "source_locator": f"{where} ({file_name}:row {row_number})",
        "excerpt": excerpt,
    }


def read_published_file(
    path: Path, names: dict[str, MetricName], gate: Gate | None = None
) -> tuple[list[dict], list[dict]]:
    return read_published(path.read_bytes(), path.name, names, gate)
