"""The records the bulletin reader hands out: figures with provenance, rejections, one result per document."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of figure. `level` and `growth` are the values of the statistical year; a `previous` value carries its own
# year (`year` − 1 for 上年, or the year written) and the key it had in that year's bulletin, so that it can be kept
# as a later vintage of that year. The other kinds are kept so that a statistician sees every number of the
# bulletin, but they describe something else than a year's value and are never mapped.
KINDS = (
    "level",  # the value of the indicator in the statistical period
    "growth",  # % change on the previous year / same period (比上年增长, 同比增长 …)
    "change",  # absolute change (比上年增加2279元) or a multiple (增长1.2倍)
    "pp_change",  # change in percentage points (提高1.2个百分点, 拉动…个百分点)
    "previous",  # a value of an earlier year (上年为…, 由上年的…调整为…, 2022年…修订为…): its own year and key
    "growth_other",  # growth over another base (比2020年增长, 年均增长, 两年平均增长)
    "ratio",  # structure ratio such as 13.1:35.2:51.7; value stays text
)


@dataclass(frozen=True)
class BulletinFigure:
    """One number read from a bulletin, with the sentence it came from.

    `value` is in `unit`: the metric's canonical unit when `metric_key` is set, otherwise the unit as written.
    `year` is the statistical year of the value: the bulletin's, or for a `previous` figure the year it is of.
    For growth figures `value` is the signed % change and `growth_pct` is None (the level carries it).
    `locator` is `<document_id>:p<paragraph>:s<sentence>:c<start>-<end>`: 1-based paragraph and sentence,
    0-based half-open character offsets of the number and its unit within the normalised paragraph.
    """

    region_zh: str | None
    year: int | None
    period: str
    metric_key: str | None
    label_zh: str
    value: float | None
    unit: str
    raw_value_text: str
    raw_unit: str
    growth_pct: float | None
    growth_basis: str | None
    locator: str
    excerpt: str
    kind: str = "level"
    # why a figure whose label the alias table knows stays unmapped, or why a mapped one cannot land yet
    note: str | None = None


@dataclass(frozen=True)
class Rejection:
    """A number that could not be read safely (damaged by encoding errors, …); it is reported, never guessed."""

    locator: str
    excerpt: str
    reason: str


@dataclass(frozen=True)
class ExtractionResult:
    document_id: str
    region_zh: str | None
    region_code: str | None
    year: int | None
    period: str
    figures: list[BulletinFigure] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    title: str | None = None
    # the divisions a shared region name may be (重庆市江北区, 浙江省宁波市江北区)
    region_shared_by: tuple[str, ...] = ()

    def region_problem(self) -> str | None:
        """Why the file has no division code although it may name its region; None when it has one."""
        if self.region_code is not None:
            return None
        if self.region_zh is None:
            return "names no region"
        if self.region_shared_by:
            return f"names the region {self.region_zh}, which is ambiguous in the region table: " + " or ".join(
                self.region_shared_by
            )
        return f"names the region {self.region_zh}, which is not in the region table (catalog/regions_cn.csv)"
