"""Tables flattened into `a | b | c` rows: a header row gives each column a role (value, growth, unit, another
year …) and the units; each data row gives a level and its growth, the first row being the total the others
may break down."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.bulletins.items import NON_AGGREGATE_DIMS, DocState, Item, ParagraphState, Qty, attach
from ingest.bulletins.scan import clean_label, scan_numbers
from ingest.bulletins.segment import Sentence
from ingest.bulletins.units import clean_unit, dimension, split_unit

# reads one sentence (or a row read as one) the way running text is read
SentenceReader = Callable[[Sentence, str, str, DocState, ParagraphState], list[Item]]


@dataclass
class TableState:
    roles: list[str] | None = None
    units: list[str] | None = None
    first_row: Item | None = None


_NUMERIC_CELL = re.compile(r"^(?P<sign>-)?(?P<num>\d+(?:\.\d+)?)$")
_HEADER_WORDS = re.compile(
    r"指标|单位|绝对数|绝对值|数值|总量|本年|本期|全年|增长|增速|比上年|同比|比重|\d{4}年|%|金额|数量"
)
_UNIT_IN_BRACKETS = re.compile(r"\(([^()]{1,8})\)")


def _cells(row: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell of `a | b | c`."""
    out, pos = [], 0
    for part in row.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((pos + lead, part.strip()))
        pos += len(part) + 1
    return out


def _header_roles(cells: list[str], year: int | None) -> tuple[list[str], list[str]]:
    # with several year columns the statistical year's is the value (the latest when the year is unknown)
    years = [int(m.group(1)) for c in cells if (m := re.search(r"(\d{4})年", c))]
    if year is None and years:
        year = max(years)
    roles, units = [], []
    for i, cell in enumerate(cells):
        unit_match = _UNIT_IN_BRACKETS.search(cell)
        unit = unit_match.group(1) if unit_match and split_unit(unit_match.group(1))[1] else ""
        units.append(unit if unit else ("%" if cell.endswith("%") else ""))
        year_match = re.search(r"(\d{4})年", cell)
        if i == 0:
            roles.append("label")
        elif "单位" in cell:
            roles.append("unit")
        elif re.search(r"增长|增速|增减|±|同比|比上年|比去年", cell):
            roles.append("pp" if "百分点" in cell else "growth")
        elif re.search(r"比重|占|构成|结构", cell):
            roles.append("share")
        elif re.search(r"上年|去年|上期|同期", cell) or (year_match and year and int(year_match.group(1)) != year):
            roles.append("previous")
        else:
            roles.append("value")
    return roles, units


def items_of_table_row(
    sentence: Sentence,
    paragraph: str,
    doc: DocState,
    para: ParagraphState,
    table: TableState,
    read_sentence: SentenceReader,
) -> list[Item]:
    cells = _cells(sentence.text)
    texts = [c for _, c in cells]
    numeric = [bool(_NUMERIC_CELL.match(t)) for t in texts[1:]]
    inline = any(scan_numbers(t) for t in texts[1:] if not _NUMERIC_CELL.match(t))
    if not any(numeric) and not inline:
        if sum(1 for t in texts if t) >= 2 and any(_HEADER_WORDS.search(t) for t in texts):
            table.roles, table.units = _header_roles(texts, doc.year)
            table.first_row = None
        return []
    if table.roles is not None and len(texts) < len(table.roles):
        cells += [(len(sentence.text), "")] * (len(table.roles) - len(texts))  # trailing empty cells were cut
        texts = [c for _, c in cells]
    if table.roles is None or inline or len(table.roles) != len(texts):
        # no usable header: read the row as a clause ("地区生产总值 | 245.2亿元 | 增长3.9%"); the first cell is
        # the label of the second, later cells are clauses of their own
        as_text = sentence.text.replace("|", " ", 1).replace("|", ",")
        return read_sentence(sentence, paragraph, as_text, doc, para)
    raw_label = texts[0]
    unit_col = table.roles.index("unit") if "unit" in table.roles else None
    label_unit = _UNIT_IN_BRACKETS.search(raw_label)
    row_unit = texts[unit_col] if unit_col is not None else ""
    if not row_unit and label_unit and split_unit(label_unit.group(1))[1]:
        row_unit = label_unit.group(1)
        raw_label = raw_label.replace(label_unit.group(0), "")
    label = clean_label(raw_label, doc.region_zh)
    items: list[Item] = []
    level: Item | None = None
    for i, ((offset, text), role) in enumerate(zip(cells, table.roles, strict=True)):
        m = _NUMERIC_CELL.match(text)
        if i == 0 or not m or role not in ("value", "growth") or (role == "value" and level is not None):
            continue
        unit = (row_unit or table.units[i]) if role == "value" else "%"
        q = Qty(offset, offset + len(text), m.group("num"), unit, sign=m.group("sign") or "")
        if role == "value":
            level = Item(
                "level", label, raw_label, q, sentence, paragraph, area_extra=doc.heading_area, heading=doc.heading_text
            )
            items.append(level)
        elif level is not None and dimension(clean_unit(level.qty.unit)) not in NON_AGGREGATE_DIMS:
            growth = Item("growth", label, raw_label, q, sentence, paragraph, basis="比上年增长")
            attach(growth, level)
            items.append(growth)
    if level is not None:
        level.table_context = doc.heading_text + (table.first_row.label if table.first_row else "")
        if table.first_row is None:
            table.first_row = level
        else:
            # the first row is the total the others may break down; only 其中/# rows say so explicitly
            level.parent, level.has_parent = table.first_row, bool(re.match(r"^(其中|#|-)", texts[0]))
        if level.growth is not None:
            level.growth.parent, level.growth.has_parent = level.parent, level.has_parent
            level.growth.table_context = level.table_context
        doc.last_item = items[-1]
    return items


# ---- the document -----------------------------------------------------------------------------------------------
