"""A reviewable catalog draft for the table indicators of a plan nobody has reviewed yet (`planwatch catalog draft
FILE`), and the drift check of the reviewed catalog (`planwatch catalog check`).

Every field of a draft entry is `{value: …, status: proposed, basis: why}`; a person sets `status: reviewed` once
checked, and moves the entry into catalog/indicators.yaml. Nothing here overrides a reviewed entry: rows already in
the catalog are left out of the draft. Pure functions over parsed records; the CLI reads and writes the files.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from planwatch_core.yaml_load import safe_load

_MONEY_OR_COUNT = ("亿元", "万元", "元", "亿美元", "万美元", "家", "个", "万人", "人", "件", "万吨", "吨", "条")
_PLAUSIBLE_BY_UNIT: dict[str, tuple[float, float]] = {
    "%": (0, 100),
    "年": (0, 120),
    "岁": (0, 120),
    "天": (0, 366),
}
_GROWTH = re.compile(r"(年均)?(增速|增长率?|增幅)$")


def proposed_theme(record: dict) -> tuple[str, str]:
    section = record.get("section_zh")
    return record["theme_code"], f"{record['theme_basis']}: {section}" if section else record["theme_basis"]


def proposed_direction(record: dict) -> tuple[int, str]:
    if record.get("direction_proposed") is not None:
        return int(record["direction_proposed"]), "wording (降低/下降/减少 of a reduction, 控制在/以下/≤ …)"
    return 1, "default: the wording does not say lower is better"


def proposed_path(unit: str | None, name_zh: str) -> str:
    if unit in _MONEY_OR_COUNT and not _GROWTH.search(name_zh):
        return "geometric"
    return "linear"


def proposed_plausible(unit: str | None, name_zh: str) -> list[float] | None:
    if unit == "%" and _GROWTH.search(name_zh):
        return [-30, 50]
    if unit in _PLAUSIBLE_BY_UNIT:
        low, high = _PLAUSIBLE_BY_UNIT[unit]
        return [low, high]
    if unit in _MONEY_OR_COUNT:
        return [0, 1_000_000]
    return None


MetricPattern = tuple[str | None, str | None, str | None, re.Pattern[str]]  # key, unit, growth key, label


def alias_patterns(aliases_document: dict) -> list[MetricPattern]:
    """The label patterns of catalog/metric_aliases.yaml, in its order."""
    found = []
    for item in aliases_document.get("metrics") or []:
        for label in item.get("labels") or []:
            try:
                found.append((item.get("key"), item.get("unit"), item.get("growth_key"), re.compile(label)))
            except re.error:
                continue
    return found


def proposed_metric(name_zh: str, unit: str | None, patterns: list[MetricPattern]) -> tuple[str, str] | None:
    """(metric key, why): the bulletin metric whose alias labels match the whole name with the same unit, or, for a
    growth rate in %, the growth of the metric the name without 增速 matches; None when no alias does."""
    subject = _GROWTH.sub("", name_zh)
    for key, metric_unit, growth_key, pattern in patterns:
        if key and unit == metric_unit and pattern.fullmatch(name_zh):
            return key, f"metric alias {pattern.pattern!r} ({metric_unit})"
        if growth_key and unit == "%" and subject != name_zh and pattern.fullmatch(subject):
            return growth_key, f"growth of metric alias {pattern.pattern!r}"
    return None


def proposed_actual(name_zh: str, unit: str | None, patterns: list[MetricPattern]) -> tuple[dict, str]:
    """The actual's source: a bulletin metric (proposed_metric), else a department's submission."""
    found = proposed_metric(name_zh, unit, patterns)
    if found is not None:
        return {"kind": "metric", "metric": found[0]}, found[1]
    return {"kind": "submission"}, "no metric alias matches the name and unit: a department submits it"


def _field(value: object, basis: str) -> dict:
    return {"value": value, "status": "proposed", "basis": basis}


def draft_entries(records: list[dict], reviewed_ids: set[str], aliases_document: dict) -> list[dict]:
    patterns = alias_patterns(aliases_document)
    entries = []
    for record in records:
        if record["kind"] != "table" or record["indicator_id"] in reviewed_ids:
            continue
        name, unit = record["name_zh"], record["unit"]
        theme, theme_basis = proposed_theme(record)
        direction, direction_basis = proposed_direction(record)
        aggregation = record["target_aggregation"] or "final_year"
        accumulation = None
        if aggregation == "cumulative":
            accumulation = "compound" if unit == "%" and re.search(r"降低|下降|减少", name) else "sum"
        actual, actual_basis = proposed_actual(name, unit, patterns)
        price_basis = record.get("price_basis")
        entries.append(
            {
                "id": record["indicator_id"],
                "name_zh": name,
                "unit": unit,
                "baseline_text": record.get("baseline_text"),
                "target_text": record["target_text"],
                "target_year": record["target_year"],
                "source_locator": record["source_locator"],
                "theme": _field(theme, theme_basis),
                "direction": _field(direction, direction_basis),
                "price_basis": _field(price_basis, "the name's or unit column's …年价" if price_basis else "none"),
                "path": _field(proposed_path(unit, name), f"unit {unit!r}"),
                "aggregation": _field(aggregation, f"notation of {record['target_text']!r}"),
                "accumulation": _field(accumulation, "cumulative % reductions compound, flows sum"),
                "actual": _field(actual, actual_basis),
                "plausible": _field(proposed_plausible(unit, name), f"unit {unit!r}"),
            }
        )
    return entries


HEADER = """\
# Catalog draft written by `planwatch catalog draft` from {file} ({count} table indicators not yet reviewed).
# Every field is `proposed` (with the rule that proposed it) until a person checks it and sets `status: reviewed`.
# Until the entries are moved into catalog/indicators.yaml the warehouse shows these indicators as 待审核 and assesses
# them with the same proposals made at landing (theme, direction, aggregation, the bulletin metric matched by name and
# unit, else submissions), not with this file's edits. Rows already in the reviewed catalog are not repeated here.
"""


def draft_yaml(file: str, entries: list[dict]) -> str:
    body = yaml.safe_dump({"indicators": entries}, allow_unicode=True, sort_keys=False, width=120)
    return HEADER.format(file=file, count=len(entries)) + body


def pending_fields(draft_text: str) -> list[tuple[str, str]]:
    """(indicator id, field) of every field of a draft still `proposed`."""
    document = safe_load(draft_text) or {}
    found = []
    for entry in document.get("indicators") or []:
        for name, value in entry.items():
            if isinstance(value, dict) and value.get("status") == "proposed":
                found.append((str(entry["id"]), name))
    return found


def draft_path(drafts_dir: Path, file: Path) -> Path:
    return drafts_dir / f"{file.stem}.yaml"
