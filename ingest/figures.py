"""Named figures outside the bulletins (published data, a plan's review) → canonical metric keys and units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ingest.bulletins.units import convert, to_float
from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load


@dataclass(frozen=True)
class MetricName:
    metric: str
    unit: str


def load_figure_names(path: Path) -> dict[str, MetricName]:
    try:
        document = safe_load(path.read_text(encoding="utf-8"))
        return {str(f["name"]): MetricName(str(f["metric"]), str(f["unit"])) for f in document["figures"]}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise InputError(path, "whole file", f"cannot read the figure names: {exc}") from exc


def to_metric_unit(value: float, unit: str, target_unit: str) -> float | None:
    """`value` `unit` in the metric's unit, or None when they do not convert (e.g. % for 亿元)."""
    if unit == target_unit:
        return value
    try:
        converted = convert(Decimal(str(value)), unit, target_unit)
    except InvalidOperation:
        return None
    return None if converted is None else to_float(converted)
