"""Tables flattened into `a | b | c` rows: a header row gives each column a role (value, growth, unit, another
year …) and the units; each data row gives a level and its growth (or only a growth: `固定资产投资 | 亿元 | — | 5.7`).
A row may break down the nearest total above it (`地区生产总值`, then `第一产业`, `第二产业`, `#工业` …).

Tables copied out of a PDF or a web page sometimes come one cell per line; `rebuild_cell_tables` puts such
runs back into rows before anything else reads them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.bulletins.items import NON_AGGREGATE_DIMS, DocState, Item, ParagraphState, Qty, attach
from ingest.bulletins.normalize import TABLE_SEP
from ingest.bulletins.scan import clean_label, scan_numbers
from ingest.bulletins.segment import Sentence
from ingest.bulletins.units import UNIT_PATTERN, clean_unit, dimension, split_unit

# reads one sentence (or a row read as one) the way running text is read
SentenceReader = Callable[[Sentence, str, str, DocState, ParagraphState], list[Item]]


@dataclass
class TableState:
    roles: list[str] | None = None
    units: list[str] | None = None
    header: str = ""  # the header row, as context for the rows (产量(万吨) says what 粮食 is)
    rows: list[Item] = field(default_factory=list)  # the figure heading each row so far (level, else growth)


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
            table.header, table.rows = sentence.text, []
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
    label = clean_label(raw_label, doc.own_words)
    heading = doc.heading_text + "\n" + table.header
    items: list[Item] = []
    level: Item | None = None
    growth: Item | None = None
    for i, ((offset, text), role) in enumerate(zip(cells, table.roles, strict=True)):
        m = _NUMERIC_CELL.match(text)
        if i == 0 or not m or role not in ("value", "growth") or (role == "value" and level is not None):
            continue
        if role == "growth" and growth is not None:
            continue
        unit = (row_unit or table.units[i]) if role == "value" else "%"
        q = Qty(offset, offset + len(text), m.group("num"), unit, sign=m.group("sign") or "")
        if role == "value":
            level = Item(
                "level", label, raw_label, q, sentence, paragraph, area_extra=doc.heading_area, heading=heading
            )
            items.append(level)
            continue
        if level is not None and dimension(clean_unit(level.qty.unit)) in NON_AGGREGATE_DIMS:
            continue  # the change of a rate is in points, not a growth
        if level is None and dimension(clean_unit(row_unit)) in NON_AGGREGATE_DIMS:
            continue
        growth = Item(
            "growth", label, raw_label, q, sentence, paragraph, basis="比上年增长", area_extra=doc.heading_area
        )
        growth.heading = heading
        if level is not None:
            attach(growth, level)
        items.append(growth)
    head = level or growth
    if head is not None:
        first = table.rows[0] if table.rows else None
        head.table_context = doc.heading_text + (first.label if first else "")
        head.rows_above = list(reversed(table.rows))
        # only 其中/# rows say explicitly that they break down the row above
        head.parent = head.rows_above[0] if head.rows_above else None
        head.has_parent = bool(head.rows_above) and bool(re.match(r"^(其中|#|-)", texts[0]))
        if level is not None and level.growth is not None:
            level.growth.parent, level.growth.has_parent = level.parent, level.has_parent
            level.growth.rows_above = level.rows_above
            level.growth.table_context = level.table_context
        table.rows.append(head)
        doc.last_item = items[-1]
    return items


# ---- one cell per line ----------------------------------------------------------------------------------------

_FIRST_HEADER = re.compile(r"^(?:主要)?(?:指标|项目|产品|名称|类别|行业|品种|品名)(?:名称)?$")
_VALUE_CELL = re.compile(rf"^(?:-?\d+(?:\.\d+)?%?|[-—–一…/]+|(?:{UNIT_PATTERN})|%|‰)$")
_MAX_CELL = 30


def _header_cell(text: str) -> bool:
    return (
        len(text) <= 16
        and not _NUMERIC_CELL.match(text)
        and not re.search(r"[。;,]", text)
        and bool(_HEADER_WORDS.search(text) or _unit_in(text))
    )


def _unit_in(text: str) -> str:
    m = _UNIT_IN_BRACKETS.search(text)
    return m.group(1) if m and split_unit(m.group(1))[1] else ""


def _row_at(paragraphs: list[str], start: int, n: int) -> list[str] | None:
    chunk = paragraphs[start : start + n]
    if len(chunk) < n or "|" in "".join(chunk):
        return None
    label, values = chunk[0], chunk[1:]
    if len(label) > _MAX_CELL or re.search(r"[。;]", label) or _VALUE_CELL.match(label):
        return None
    if not all(_VALUE_CELL.match(v) for v in values) or not any(_NUMERIC_CELL.match(v) for v in values):
        return None
    return chunk


def rebuild_cell_tables(paragraphs: list[str]) -> list[str]:
    """Put a table written one cell per line back into `a | b | c` rows: a header run (`指标`, then cells such as
    `绝对数(亿元)`, `单位`, `比上年增长(%)`) fixes the number of columns; the rows follow while each has a label
    and only numbers, units or dashes after it."""
    out: list[str] = []
    i = 0
    while i < len(paragraphs):
        if _FIRST_HEADER.match(paragraphs[i]):
            n = 1
            while i + n < len(paragraphs) and _header_cell(paragraphs[i + n]):
                n += 1
            rows = []
            j = i + n
            while n >= 2 and (row := _row_at(paragraphs, j, n)) is not None:
                rows.append(row)
                j += n
            if rows:
                out.append(TABLE_SEP.join(paragraphs[i : i + n]))
                out.extend(TABLE_SEP.join(row) for row in rows)
                i = j
                continue
        out.append(paragraphs[i])
        i += 1
    return out


# ---- the document -----------------------------------------------------------------------------------------------
