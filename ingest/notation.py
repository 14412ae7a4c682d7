"""The plan's target notation (SPEC §3) → a parsed target value. Pure functions, no I/O.

60            value in the target year (level; ge/le comes from the catalog's direction)
3以上 ≥65 不低于  at least (ge)          <5.5  低于   strictly below (lt)
≤ 以下 以内 不超过 at most (le)          超过 突破 >  strictly above (gt)
350左右        about (approx)
X△            average over the plan years      【X】 〔X〕 [X]  cumulative over the plan years
达标 达到市上要求 保持在合理区间  qualitative verdict   10.7:29.6:59.7, 2.4:1  structure
高于GDP增长 与经济增长基本同步   relative: compared with another indicator's actual of the same year
－            no value

A document's own legend (注/备注 under its table) overrides these marks; see `Legend` and docs/PLAN_NOTATION.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

AGGREGATIONS = ("final_year", "average", "cumulative")
COMPARATORS = (
    "ge",
    "gt",
    "le",
    "lt",
    "approx",
    "qualitative",
    "structure",
    "relative_gt",
    "relative_ge",
    "relative_approx",
)

# Cells that state a verdict rather than a number. Anything else without a number is an error, not a guess.
QUALITATIVE_TEXTS = frozenset(
    {"达标", "达到市上要求", "完成市上下达任务", "完成市下达任务", "完成上级下达任务", "达到国家要求", "达到上级要求"}
)
# A verdict stated in words: 保持在合理区间, 完成省下达任务, 达到国家标准, 控制在目标范围内 … (no digit in the cell)
_QUALITATIVE_WORDS = re.compile(r"^(?:保持|完成|达到|符合|控制在|稳定在).*(?:区间|任务|要求|标准|目标|范围内?|水平)$")
# A target relative to another indicator's actual of the same year: 高于GDP增长, 与经济增长基本同步
_RELATIVE = (
    (re.compile(r"^(?:略)?(?:高于|快于)(?P<other>.+?)(?:增长|增速)?(?:水平)?$"), "relative_gt"),
    (re.compile(r"^不低于(?P<other>[^\d]+?)(?:增长|增速)?(?:水平)?$"), "relative_ge"),
    (re.compile(r"^与(?P<other>.+?)(?:增长|增速)?(?:基本)?(?:同步|相适应|持平)$"), "relative_approx"),
)
# Marks of the built-in notation: the bracket pairs of a cumulative value and the average mark
BUILTIN_CUMULATIVE = (("【", "】"), ("〔", "〕"), ("[", "]"))
BUILTIN_AVERAGE = ("△",)
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
    relative_to: str | None = None  # relative targets: the other indicator, as the cell names it (GDP, 经济)
    marks: tuple[str, ...] = ()  # legend marks found on the cell that are not notation (e.g. '*' = 2019 data)

    @property
    def is_null(self) -> bool:
        return self.value is None and self.comparator is None


def normalize_cell(text: str) -> str:
    """NFKC folds full-width digits, colons and signs (－ becomes -); the marks △ and 【】 survive it."""
    folded = unicodedata.normalize("NFKC", text).replace("∶", ":")
    return re.sub(r"\s+", "", folded)


@dataclass(frozen=True)
class Legend:
    """What a document's own note (注/备注) says its marks mean. Empty: the built-in notation alone."""

    cumulative: tuple[tuple[str, str], ...] = ()  # bracket pairs (open, close) of cumulative values
    average: tuple[str, ...] = ()  # suffix marks of averages over the plan years
    year_marks: tuple[tuple[str, int], ...] = ()  # ('*', 2019): a value with this mark is of that year
    text: str = ""  # the legend as written

    def year_of(self, marks: tuple[str, ...]) -> int | None:
        return next((year for mark, year in self.year_marks if mark in marks), None)


_NO_LEGEND = Legend()
_MARK_CHARS = "△▲*＊※#＃☆★"
_PAIR_CLOSE = {"〔": "〕", "【": "】", "[": "]", "(": ")", "（": "）", "{": "}", "「": "」"}


def read_legend(text: str) -> Legend:
    """'注：〔 〕内为5年累计数；带△为五年平均数；带*的为2019年数据。' → the marks it defines."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    cumulative: list[tuple[str, str]] = []
    for match in re.finditer(
        r"([〔【\[{「])([〕】\]}」])(?:内|中)?(?:的)?(?:数据?|数值)?(?:为|是|表示)(?:\d|五|5)?年?累计", folded
    ):
        cumulative.append((match.group(1), match.group(2)))
    average = [
        m.group(1)
        for m in re.finditer(
            rf"带?([{_MARK_CHARS}])号?(?:的)?(?:指标)?(?:为|是|表示)(?:\d|五|5)?年(?:平均|年均)", folded
        )
    ]
    year_marks = [
        (m.group(1), int(m.group(2)))
        for m in re.finditer(
            rf"带?([{_MARK_CHARS}])号?(?:的)?(?:指标|数据)?(?:为|是|表示)(\d{{4}})年(?:的)?(?:数据|数|值)", folded
        )
    ]
    normalize_mark = {"＊": "*", "＃": "#"}
    return Legend(
        cumulative=tuple(dict.fromkeys(cumulative)),
        average=tuple(dict.fromkeys(normalize_mark.get(m, m) for m in average)),
        year_marks=tuple(dict.fromkeys((normalize_mark.get(m, m), y) for m, y in year_marks)),
        text=text.strip(),
    )


@lru_cache(maxsize=1 << 16)  # pure, and a submission checks the same catalog targets row after row
def parse_target(text: str, legend: Legend = _NO_LEGEND) -> TargetValue:
    """Parse one cell of a plan table (a 2020/2025 value, a target or a result). The legend's marks come first;
    the built-in ones (△, 【】 〔〕 []) apply where the legend is silent about them."""
    original = text.strip()
    cell = normalize_cell(original)
    if not cell:
        raise NotationError("empty cell where a value or '－' is expected")
    if cell in NULL_TEXTS:
        return TargetValue(original, None, None, None)
    if cell in QUALITATIVE_TEXTS or (not re.search(r"\d", cell) and _QUALITATIVE_WORDS.match(cell)):
        return TargetValue(original, None, "final_year", "qualitative")
    for pattern, code in _RELATIVE:
        if not re.search(r"\d", cell) and (match := pattern.match(cell)):
            return TargetValue(original, None, "final_year", code, relative_to=match.group("other"))

    # marks the legend defines as "a value of another year" (e.g. '*' = 2019 data): kept aside, not notation
    marks: list[str] = []
    for mark, _year in legend.year_marks:
        if mark in cell:
            marks.append(mark)
            cell = cell.replace(mark, "")
    aggregation = "final_year"
    average_marks = legend.average + tuple(m for m in BUILTIN_AVERAGE if m not in legend.average)
    for mark in average_marks:
        if cell.endswith(mark):
            aggregation, cell = "average", cell[: -len(mark)]
            break
    pairs = legend.cumulative + tuple(p for p in BUILTIN_CUMULATIVE if p not in legend.cumulative)
    pairs = tuple((unicodedata.normalize("NFKC", a), unicodedata.normalize("NFKC", b)) for a, b in pairs)
    for opening, closing in pairs:
        if cell.startswith(opening) and cell.endswith(closing):
            if aggregation == "average":
                raise NotationError(f"{original!r} is marked both cumulative {opening}{closing} and average")
            aggregation, cell = "cumulative", cell[len(opening) : -len(closing)]
            break

    if _STRUCTURE.match(cell):
        parts = tuple(float(p) for p in cell.split(":"))
        return TargetValue(original, None, aggregation, "structure", parts, marks=tuple(marks))

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
            "a △ or 【】〔〕[] mark (or one the document's legend defines), a ratio a:b, a verdict such as 达标, "
            "a relative target such as 高于GDP增长, or '－'"
        )
    return TargetValue(original, float(cell), aggregation, comparator, marks=tuple(marks))


def resolve_comparator(comparator: str | None, direction: int) -> str | None:
    """A plain number means 'reach at least' when higher is better and 'at most' when lower is better."""
    if comparator is not None:
        return comparator
    return "ge" if direction >= 0 else "le"
