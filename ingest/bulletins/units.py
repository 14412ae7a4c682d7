"""Units as bulletins write them: a magnitude (万, 亿 …) on a base unit (元, 人 …); conversion between units
of one dimension with exact decimal arithmetic (so 6235人 is exactly 0.6235万人)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

MAGNITUDES = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "千": Decimal(1000),
    "百": Decimal(100),
}

# base unit → (dimension, factor to the dimension's reference unit). Bases of one dimension convert.
BASES: dict[str, tuple[str, Decimal]] = {
    "元": ("cny", Decimal(1)),
    "美元": ("usd", Decimal(1)),
    "人次": ("visit", Decimal(1)),
    "人": ("person", Decimal(1)),
    "名": ("person", Decimal(1)),
    "吨": ("mass", Decimal(1)),
    "公斤": ("mass", Decimal("0.001")),
    "千克": ("mass", Decimal("0.001")),
    "吨标准煤": ("energy_coal", Decimal(1)),
    "%": ("pct", Decimal(1)),
    "‰": ("permille", Decimal(1)),
    "个百分点": ("pp", Decimal(1)),
    "百分点": ("pp", Decimal(1)),
    "平方公里": ("area", Decimal(10) ** 6),
    "平方千米": ("area", Decimal(10) ** 6),
    "平方米": ("area", Decimal(1)),
    "公顷": ("area", Decimal(10) ** 4),
    "亩": ("area", Decimal(10) ** 4 / 15),
    "立方米": ("volume", Decimal(1)),
    "千瓦时": ("kwh", Decimal(1)),
    "度": ("kwh", Decimal(1)),
    "千瓦": ("kw", Decimal(1)),
    "兆瓦": ("kw", Decimal(1000)),
    "公里": ("length", Decimal(1000)),
    "千米": ("length", Decimal(1000)),
    "米": ("length", Decimal(1)),
    "张": ("bed", Decimal(1)),
    "床": ("bed", Decimal(1)),
    "倍": ("multiple", Decimal(1)),
}
# Counting words: each its own dimension, factor 1.
for _word in (
    "件",
    "天",
    "户",
    "个",
    "家",
    "所",
    "辆",
    "台",
    "套",
    "座",
    "处",
    "项",
    "头",
    "只",
    "羽",
    "册",
    "部",
    "场",
    "篇",
    "条",
    "株",
    "间",
    "岁",
    "小时",
    "标箱",
    "份",
    "支",
    "册",
    "起",
    "宗",
    "艘",
    "架",
    "班",
    "趟",
    "吨公里",
    "人公里",
    "公里/小时",
    "毫米",
    "℃",
    "微克/立方米",
    "毫克/升",
):
    BASES.setdefault(_word, (_word, Decimal(1)))
_PER = ("平方米", "立方米", "人", "吨", "亩", "公斤", "户", "年", "小时", "千瓦时")

_BASE_ALT = "|".join(re.escape(b) for b in sorted(BASES, key=len, reverse=True))
_PER_ALT = "|".join(re.escape(b) for b in sorted(_PER, key=len, reverse=True))
_MAG_ALT = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
# "余/多" (some more) may sit between number and unit: 1500余万元, 300多人.
UNIT_PATTERN = rf"(?:余|多)?(?:(?:{_MAG_ALT})?(?:{_BASE_ALT})(?:/(?:{_PER_ALT}))?|(?:{_MAG_ALT})(?=[,;。、和与及)]|$))"
_UNIT_RE = re.compile(rf"(?:余|多)?(?P<mag>{_MAG_ALT})?(?P<base>{_BASE_ALT})?(?P<per>/(?:{_PER_ALT}))?")


@lru_cache(maxsize=4096)
def split_unit(unit: str) -> tuple[Decimal, str]:
    """`万元` → (10000, `元`); `元/平方米` → (1, `元/平方米`); a bare magnitude `万` → (10000, ``)."""
    match = _UNIT_RE.fullmatch(unit)
    if not match:
        return Decimal(1), unit
    mag = MAGNITUDES.get(match.group("mag") or "", Decimal(1))
    base = (match.group("base") or "") + (match.group("per") or "")
    return mag, base


@lru_cache(maxsize=4096)
def dimension(unit: str) -> str:
    _, base = split_unit(unit)
    if base in BASES:
        return BASES[base][0]
    return base or "count"


def clean_unit(unit: str) -> str:
    """The unit without 余/多."""
    return unit[1:] if unit[:1] in ("余", "多") else unit


def convert(value: Decimal, from_unit: str, to_unit: str, equivalents: dict[str, str] | None = None) -> Decimal | None:
    """`value` in `from_unit` expressed in `to_unit`, or None when the dimensions differ.
    `equivalents` maps a base to another one it counts as (e.g. 人 → 人次 for tourist visits)."""
    from_mag, from_base = split_unit(clean_unit(from_unit))
    to_mag, to_base = split_unit(to_unit)
    if equivalents and from_base in equivalents:
        from_base = equivalents[from_base]
    if from_base == to_base:
        return value * from_mag / to_mag
    if from_base not in BASES or to_base not in BASES:
        return None
    (from_dim, from_factor), (to_dim, to_factor) = BASES[from_base], BASES[to_base]
    if from_dim != to_dim:
        return None
    return value * from_mag * from_factor / (to_mag * to_factor)


def to_float(value: Decimal) -> float:
    """Decimal → float without binary noise from the conversion (0.6235, not 0.6235000000000001)."""
    return float(round(value, 10).normalize())
