"""The plausibility gate every figure passes at landing, whatever its source (bulletins, published figures,
department submissions, plan values): finite numbers only, the ranges of catalog/plausible_ranges.yaml, years not
after the current year (and within the plan where there is one), a source address with a host. A figure that
fails is not landed as a figure: it becomes a rejection (place, reason, excerpt) that fct_quarantine shows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load

DEFAULT_RANGES = Path(__file__).resolve().parents[1] / "catalog" / "plausible_ranges.yaml"
FIRST_YEAR = 1949
Range = tuple[float | None, float | None]
PREFIX = "implausible: "  # every gate reason starts with it (数据质量 groups them by it)


@dataclass(frozen=True)
class Gate:
    today: date
    max_abs: float = 1e12
    metrics: dict[str, Range] = field(default_factory=dict)
    units: dict[str, Range] = field(default_factory=dict)

    def value(self, value: float | None, metric: str | None = None, unit: str | None = None) -> str | None:
        """Why `value` (in `unit`, of `metric`) cannot be a real figure, or None. None values pass (no number)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{PREFIX}value {value!r} is not a number"
        if not math.isfinite(value):
            return f"{PREFIX}value {value} is not a finite number"
        if abs(value) > self.max_abs:
            return f"{PREFIX}value {value:g} is larger than any real figure (|x| ≤ {self.max_abs:g})"
        bounds, what = None, ""
        if metric and metric in self.metrics:
            bounds, what = self.metrics[metric], f"{metric}"
        elif unit and unit in self.units:
            bounds, what = self.units[unit], f"a figure in {unit}"
        if bounds is None:
            return None
        low, high = bounds
        if (low is not None and value < low) or (high is not None and value > high):
            shown = f"{'−∞' if low is None else f'{low:g}'}–{'∞' if high is None else f'{high:g}'}"
            return f"{PREFIX}value {value:g} is outside the plausible range {shown} of {what}"
        return None

    def year(self, year: int | None, first: int | None = None, last: int | None = None) -> str | None:
        if year is None:
            return None
        if year > self.today.year:
            return f"{PREFIX}year {year} is after the current year {self.today.year}"
        if year < FIRST_YEAR:
            return f"{PREFIX}year {year} is before {FIRST_YEAR}"
        if first is not None and last is not None and not first <= year <= last:
            return f"{PREFIX}year {year} is outside the plan period {first}–{last}"
        return None

    @staticmethod
    def url(url: str | None) -> str | None:
        try:
            parts = urlsplit((url or "").strip())
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
            return f"{PREFIX}source_url {url!r} is not a web address with a host: every figure needs its source"
        return None


def _range(value: object, where: str) -> Range:
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(where, "plausible range", f"{value!r} is not [low, high]")
    low, high = value
    return (None if low is None else float(low), None if high is None else float(high))


def load_gate(path: Path | None, today: date) -> Gate:
    """The ranges of `path` (an installation's catalog), else the project's own file. Invalid → InputError."""
    source = path if path is not None and path.exists() else DEFAULT_RANGES
    try:
        document = safe_load(source.read_text(encoding="utf-8")) or {}
        return Gate(
            today=today,
            max_abs=float(document.get("max_abs", 1e12)),
            metrics={str(k): _range(v, source.name) for k, v in (document.get("metrics") or {}).items()},
            units={str(k): _range(v, source.name) for k, v in (document.get("units") or {}).items()},
        )
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(source.name, "whole file", f"cannot read the plausible ranges: {exc}") from exc


def default_gate() -> Gate:
    """The project's ranges and today's date: for a reader called without a landing context (tests, CLI)."""
    return load_gate(None, date.today())
