"""Published figures (inbox/published/*.csv): real figures found in public sources, one row per figure with its
URL. Row problems are rejected row by row with a reason; a file whose columns are wrong is rejected whole."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.figures import MetricName, to_metric_unit
from planwatch_core.errors import InputError

COLUMNS = ("region_code", "year", "indicator_zh", "value", "unit", "value_kind", "note", "source_kind", "source_url")
VALUE_KINDS = ("reported", "estimate", "lower_bound", "estimate_lower_bound")
SOURCE_KINDS = ("bulletin", "work_report", "economic_report", "plan_proposal", "news")
TEXT_UNITS = ("比例",)  # structures such as 9.5:44:46.5 stay text


def read_published(data: bytes, file_name: str, names: dict[str, MetricName]) -> tuple[list[dict], list[dict]]:
    """(figures, rejections) of one published-figures CSV."""
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
    for row_number, row in enumerate(reader, start=2):
        place = f"row {row_number}"
        excerpt = ",".join((row.get(c) or "") for c in COLUMNS[:8])
        try:
            figures.append(_figure(row, row_number, file_name, names))
        except ValueError as exc:
            rejections.append({"place": place, "reason": str(exc), "excerpt": excerpt})
    return figures, rejections


def _figure(row: dict, row_number: int, file_name: str, names: dict[str, MetricName]) -> dict:
    region = (row["region_code"] or "").strip()
    if not region.isdigit() or len(region) != 6:
        raise ValueError(f"region_code {region!r} is not a 6-digit division code")
    try:
        year = int(row["year"])
    except ValueError:
        raise ValueError(f"year {row['year']!r} is not a year") from None
    if not 1949 <= year <= 2100:
        raise ValueError(f"year {year} is out of range")
    value_kind, source_kind = row["value_kind"].strip(), row["source_kind"].strip()
    if value_kind not in VALUE_KINDS:
        raise ValueError(f"value_kind {value_kind!r} is not one of {', '.join(VALUE_KINDS)}")
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind {source_kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    if not row["source_url"].strip().startswith(("http://", "https://")):
        raise ValueError("source_url is not a web address: every figure needs its source")
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
        "source_locator": f"{row['source_url'].strip()} ({file_name}:row {row_number})",
        "excerpt": excerpt,
    }


def read_published_file(path: Path, names: dict[str, MetricName]) -> tuple[list[dict], list[dict]]:
    return read_published(path.read_bytes(), path.name, names)
