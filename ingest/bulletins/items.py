"""The records the extractor builds while it reads a document: quantities as written, items (a number with its
label, kind and sentence), and the state carried from sentence to sentence and paragraph to paragraph."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.bulletins.aliases import AliasTable
from ingest.bulletins.model import Rejection
from ingest.bulletins.segment import Sentence
from ingest.bulletins.units import clean_unit, dimension

NON_AGGREGATE_DIMS = frozenset({"pct", "pp", "permille", "multiple"})


@dataclass
class Qty:
    start: int  # offsets in the sentence (or table row)
    end: int
    number: str  # digits as written (normalised), ratio text, or the damaged text
    unit: str
    sign: str = ""
    ratio: bool = False
    damaged: bool = False

    @property
    def value(self) -> Decimal | None:
        if self.ratio or self.damaged:
            return None
        return Decimal(self.sign + self.number)


@dataclass
class Item:
    kind: str
    label: str  # cleaned label (the subject)
    raw_label: str  # the words before the number as written, for sub-area detection
    qty: Qty
    sentence: Sentence
    paragraph: str
    basis: str | None = None
    parent: Item | None = None
    has_parent: bool = False
    area_extra: str = ""
    growth: Item | None = None  # on a level: its annual growth
    level: Item | None = None  # on a growth: the level it belongs to
    change_words: str = ""
    other_year: int | None = None
    fen: bool = False  # starts a 分别 list
    negative: bool = False  # 下降/减少/回落…
    approx: bool = False  # 突破/超过/约/近 … or 余/多/左右/以上: a rounded statement of the figure
    table_context: str | None = None  # for a table row: the table's title and first row
    heading: str = ""  # the section heading above the paragraph (四、卫生 …)
    metric_key: str | None = None  # set when the figures are built
    subject_key: str | None = None  # for a growth: the key of the level it is the growth of
    # a table row: the rows above it, nearest first; its parent is the nearest that is a total (not a component)
    rows_above: list[Item] | None = None
    keyed_by_parent: bool = False  # mapped through an entry that needs a parent (第一产业 under GDP)
    of_growth: bool = False  # a previous-year value of a growth rate ("增长6.8%(上年为增长4.2%)")
    relative: bool = False  # a share of another year's value ("恢复到2019年的92.3%"), not that year's value
    in_brackets: bool = False  # said in brackets: a side note ("(按年平均汇率折算为10976美元)")
    bound: bool = False  # a ceiling ("控制在4.5%以内"), never mapped
    section: str = "body"  # preamble (before the first numbered section), body, or notes (注释, 附注 …)

    @property
    def value(self) -> Decimal | None:
        value = self.qty.value
        signed = self.kind in ("growth", "growth_other", "change", "pp_change") or self.of_growth
        if value is not None and signed and self.negative:
            value = -abs(value)
        return value

    @property
    def abs_start(self) -> int:
        return self.sentence.start + self.qty.start

    @property
    def abs_end(self) -> int:
        return self.sentence.start + self.qty.end

    @property
    def is_aggregate(self) -> bool:
        """A total that a following 其中/分产业看 can break down."""
        return (
            self.kind == "level"
            and not self.qty.ratio
            and dimension(clean_unit(self.qty.unit)) not in NON_AGGREGATE_DIMS
            and "人均" not in self.label
            and not self.label.startswith("每")
        )

    @property
    def can_take_growth(self) -> bool:
        """A level in money, people, tonnes … (per capita too); not a rate, whose change is in points."""
        if self.kind != "level" or self.qty.ratio:
            return False
        return self.qty.damaged or dimension(clean_unit(self.qty.unit)) not in NON_AGGREGATE_DIMS


@dataclass
class ParagraphState:
    last_level: Item | None = None
    last_aggregate: Item | None = None
    last_list: list[Item] = field(default_factory=list)
    group_levels: list[Item] = field(default_factory=list)  # levels said so far in the full-stop sentence
    group: int = 0
    group_parent: Item | None = None
    group_has_scope: bool = False
    outer_level: Item | None = None  # the level before a bracketed one
    breakdown_of: Item | None = None  # the figure a 其中/分产业看 breaks down (a total or a per-capita figure)
    group_year: int | None = None  # another year named in the full-stop sentence ("2022年…修订为…,…修订为…")


@dataclass
class DocState:
    document_id: str
    region_zh: str | None
    year: int | None
    aliases: AliasTable
    last_item: Item | None = None
    heading_area: str = ""
    heading_text: str = ""
    section: str = "preamble"
    # the total the paragraph before ended on: a paragraph that opens with 分产业看/其中 breaks it down
    previous_aggregate: Item | None = None
    # how the text names its own region when the title does not: the region, else its most frequent 全X (全盟)
    own_words: str | None = None
    items: list[Item] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def attach(growth: Item, level: Item) -> None:
    if level.growth is None:
        level.growth = growth
    growth.level = level
    growth.label = level.label
    growth.raw_label = level.raw_label
    growth.parent, growth.has_parent = level.parent, level.has_parent
    growth.area_extra = level.area_extra


def locator(document_id: str, item: Item) -> str:
    s = item.sentence
    return f"{document_id}:p{s.paragraph}:s{s.index}:c{item.abs_start}-{item.abs_end}"
