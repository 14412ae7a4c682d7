"""The plan's target notation (SPEC §3) → a parsed target value. Pure functions, no I/O.

60            value in the target year (level; ge/le comes from the catalog's direction)
3以上 ≥65 不低于  at least (ge)          <5.5  低于   strictly below (lt)
≤ 以下 以内 不超过 at most (le)          超过 突破 >  strictly above (gt)
350左右        about (approx)
X△            average over the plan years      【X】   cumulative over the plan years
达标 达到市上要求  qualitative verdict        10.7:29.6:59.7, 2.4:1  structure
－            no value
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

AGGREGATIONS = ("final_year", "average", "cumulative")
COMPARATORS = ("ge", "gt", "le", "lt", "approx", "qualitative", "structure")

# Cells that state a verdict rather than a number. Anything else without a number is an error, not a guess.
QUALITATIVE_TEXTS = frozenset(
    {"达标", "达到市上要求", "完成市上下达任务", "完成市下达任务", "完成上级下达任务", "达到国家要求", "达到上级要求"}
)
NULL_TEXTS = frozenset({"－", "-", "—", "–", "/", "／", "无", "——"})

_NUMBER = r"\d+(?:\.\d+)?"
_PREFIX_COMPARATORS = (
    ("≥", "ge"),
    (">=", "ge"),
    ("不低于", "ge"),
    ("不少于", "ge"),
    ("≤", "le"),
    ("<=", "le"),
    ("不高于", "le"),
    ("不超过", "le"),
    ("超过", "gt"),
    ("突破", "gt"),
    ("高于", "gt"),
    (">", "gt"),
    ("低于", "lt"),
    ("<", "lt"),
)
_SUFFIX_COMPARATORS = (("以上", "ge"), ("以下", "le"), ("以内", "le"), ("左右", "approx"))
_STRUCTURE = re.compile(rf"^{_NUMBER}(?::{_NUMBER})+$")
_PLAIN = re.compile(rf"^-?{_NUMBER}$")


class NotationError(ValueError):
    """A target cell the notation does not cover. The caller adds file and line."""


@dataclass(frozen=True)
class TargetValue:
    text: str  # the cell exactly as written
    value: float | None
    aggregation: str | None  # final_year · average · cumulative; None when the cell holds no value
    comparator: str | None  # ge gt le lt approx qualitative structure; None = plain level (direction decides)
    structure: tuple[float, ...] | None = None

    @property
    def is_null(self) -> bool:
        return self.value is None and self.comparator is None


def normalize_cell(text: str) -> str:
    """NFKC folds full-width digits, colons and signs (－ becomes -); the marks △ and 【】 survive it."""
    folded = unicodedata.normalize("NFKC", text).replace("∶", ":")
    return re.sub(r"\s+", "", folded)


def parse_target(text: str) -> TargetValue:
    """Parse one cell of a plan table (a 2020/2025 value, a target or a result)."""
    original = text.strip()
    cell = normalize_cell(original)
    if not cell:
        raise NotationError("empty cell where a value or '－' is expected")
    if cell in NULL_TEXTS:
        return TargetValue(original, None, None, None)
    if cell in QUALITATIVE_TEXTS:
        return TargetValue(original, None, "final_year", "qualitative")

    aggregation = "final_year"
    if cell.endswith("△"):
        aggregation, cell = "average", cell[:-1]
    if cell.startswith("【") and cell.endswith("】"):
        if aggregation == "average":
            raise NotationError(f"{original!r} is marked both cumulative 【】 and average △")
        aggregation, cell = "cumulative", cell[1:-1]

    if _STRUCTURE.match(cell):
        parts = tuple(float(p) for p in cell.split(":"))
        return TargetValue(original, None, aggregation, "structure", parts)

    comparator: str | None = None
    for prefix, code in _PREFIX_COMPARATORS:
        if cell.startswith(prefix):
            comparator, cell = code, cell[len(prefix) :]
            break
    for suffix, code in _SUFFIX_COMPARATORS:
        if cell.endswith(suffix):
            if comparator is not None:
                raise NotationError(f"{original!r} has two comparators")
            comparator, cell = code, cell[: -len(suffix)]
            break
    if not _PLAIN.match(cell):
        raise NotationError(
            f"unknown notation {original!r}: expected a number with optional 以上/以下/左右/≥/≤/</>, "
            "a △ or 【】 mark, a ratio a:b, a verdict such as 达标, or '－'"
        )
    return TargetValue(original, float(cell), aggregation, comparator)


def resolve_comparator(comparator: str | None, direction: int) -> str | None:
    """A plain number means 'reach at least' when higher is better and 'at most' when lower is better."""
    if comparator is not None:
        return comparator
    return "ge" if direction >= 0 else "le"
