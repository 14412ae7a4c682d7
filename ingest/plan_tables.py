"""Indicator tables (专栏) of a five-year-plan outline → one record per row. Pure: text in, records out.

The outline is plain text converted from the official document: a table cell is a line starting with a tab,
rows are separated by blank lines, and a table ends at the first line that is not a cell. Tables are found by
their structure (a 专栏 title followed by a header row holding 序号 and 指标名称), never by line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.notation import NotationError, TargetValue, normalize_cell, parse_target
from planwatch_core.errors import InputError

_TITLE = re.compile(r"^\s*专栏\s*(\d+)\s*[:：]\s*(.+?)\s*$")
_PLAN_ORDINAL = re.compile(r"十([一二三四五六七八九])五")
_SECTION_ONE_CELL = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$")
_CHINESE_NUMERALS = "一二三四五六七八九十"
_ATTRIBUTES = {"预期性": "expected", "约束性": "binding"}
_UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)[（(](?P<unit>[^（）()]+)[）)]$")


@dataclass(frozen=True)
class Region:
    code: str  # administrative division code, e.g. 500114
    slug: str  # ASCII, used in plan ids: qianjiang-14th
    name_zh: str  # 黔江区


@dataclass(frozen=True)
class Plan:
    plan_id: str
    name_zh: str
    region_code: str
    ordinal: int  # 13 for “十三五”
    base_year: int
    target_year: int


@dataclass(frozen=True)
class TableRow:
    """One row of a plan table: a numbered indicator or a '#' sub-row under one."""

    plan: Plan
    table: str  # 专栏2
    seq: int | None
    parent_seq: int | None
    name_zh: str
    name_text: str  # the name cell as written, unit included
    unit: str | None
    price_basis: str | None
    section_no: int | None  # 1 for 一、…; None before the first section row
    section_zh: str | None
    baseline: TargetValue | None  # the base-year column, when the table has one
    target: TargetValue
    result: TargetValue | None  # the 完成值 column of a review table (专栏1)
    attribute: str  # expected · binding
    line: int  # 1-based line of the row's first cell


@dataclass
class _Columns:
    seq: int | None = None
    name: int | None = None
    attribute: int | None = None
    values: dict[str, tuple[int, int]] = field(default_factory=dict)  # role → (column, year)


def plan_ordinal(title: str) -> int | None:
    """'“十四五”经济社会发展主要指标' → 14."""
    match = _PLAN_ORDINAL.search(title)
    return 10 + _CHINESE_NUMERALS.index(match.group(1)) + 1 if match else None


def plan_years(ordinal: int) -> tuple[int, int]:
    """Base and target year of the Nth five-year plan (the 3rd began in 1966, every later one 5 years on)."""
    if ordinal < 3:
        raise ValueError("only the 3rd and later five-year plans follow the 5-year rhythm")
    start = 1966 + 5 * (ordinal - 3)
    return start - 1, start + 4


def make_plan(region: Region, ordinal: int) -> Plan:
    base_year, target_year = plan_years(ordinal)
    ordinal_zh = "十" + _CHINESE_NUMERALS[ordinal - 11] if ordinal > 10 else _CHINESE_NUMERALS[ordinal - 1]
    return Plan(
        plan_id=f"{region.slug}-{ordinal}th",
        name_zh=f"{region.name_zh}“{ordinal_zh}五”规划",
        region_code=region.code,
        ordinal=ordinal,
        base_year=base_year,
        target_year=target_year,
    )


def split_name_unit(text: str) -> tuple[str, str | None, str | None]:
    """'人均地区生产总值（万元，2020年价）' → ('人均地区生产总值', '万元', '2020年价').

    Only the last parenthesis holds the unit: '规模（限额、资质）以上企业数量（家）' keeps its first one."""
    match = _UNIT_SUFFIX.match(text.strip())
    if not match:
        return text.strip(), None, None
    parts = [p.strip() for p in re.split(r"[，,]", match.group("unit")) if p.strip()]
    basis = next((p for p in parts if p.endswith("价")), None)
    units = [p for p in parts if p != basis]
    return match.group("name").strip(), (units[0] if units else None), basis


def _blocks(lines: list[str], start: int) -> Iterator[tuple[int, list[str]]]:
    """Rows of tab-cells from `start` on: (line number of first cell, cells). Stops at a non-cell line."""
    index = start
    while index < len(lines):
        while index < len(lines) and not lines[index].strip() and not lines[index].startswith("\t"):
            index += 1
        if index >= len(lines) or not lines[index].startswith("\t"):
            return
        first = index
        cells = []
        while index < len(lines) and lines[index].startswith("\t"):
            cells.append(lines[index][1:].strip())
            index += 1
        yield first + 1, cells


def _read_header(cells: list[str], file: str, line: int, table: str) -> _Columns:
    columns = _Columns()
    years: list[tuple[int, int]] = []
    for position, raw in enumerate(cells):
        cell = normalize_cell(raw)
        if cell == "序号":
            columns.seq = position
        elif cell.startswith("指标名称"):
            columns.name = position
        elif cell in ("指标属性", "属性"):
            columns.attribute = position
        elif match := re.fullmatch(r"(\d{4})年目标值", cell):
            columns.values["target"] = (position, int(match.group(1)))
        elif match := re.fullmatch(r"(\d{4})年(?:完成值|实际值|完成)", cell):
            columns.values["result"] = (position, int(match.group(1)))
        elif match := re.fullmatch(r"(\d{4})年", cell):
            years.append((position, int(match.group(1))))
        else:
            raise InputError(file, f"line {line} ({table} header)", f"unknown column {raw!r}")
    if len(years) == 2:  # a base-year and a target-year column: the earlier year is the baseline
        years.sort(key=lambda item: item[1])
        columns.values["baseline"], columns.values["target"] = years
    elif years:
        raise InputError(file, f"line {line} ({table} header)", f"expected 2 year columns, found {len(years)}")
    missing = [
        n for n, v in (("序号", columns.seq), ("指标名称", columns.name), ("属性", columns.attribute)) if v is None
    ]
    if missing or "target" not in columns.values:
        missing += [] if "target" in columns.values else ["target column"]
        raise InputError(file, f"line {line} ({table} header)", f"header lacks {', '.join(missing)}")
    return columns


def _section(cells: list[str]) -> tuple[int, str] | None:
    """'一、推动高质量发展' or ('一', '创新发展') → (1, name)."""
    texts = [normalize_cell(c) for c in cells if c.strip()]
    if len(texts) == 1 and (match := _SECTION_ONE_CELL.match(texts[0])):
        numeral, name = match.groups()
    elif len(texts) == 2 and texts[0] and all(ch in _CHINESE_NUMERALS for ch in texts[0]):
        numeral, name = texts
    else:
        return None
    number = _CHINESE_NUMERALS.index(numeral[-1]) + 1 + (10 if len(numeral) > 1 else 0)
    return number, name


def _value(cells: list[str], column: int, file: str, line: int, what: str) -> TargetValue:
    try:
        return parse_target(cells[column])
    except NotationError as exc:
        raise InputError(file, f"line {line + column}", f"{what} cell {cells[column]!r}: {exc}") from exc


def parse_tables(text: str, file: str, region: Region) -> list[TableRow]:
    """Every row of every indicator table in the document, in document order."""
    lines = text.splitlines()
    rows: list[TableRow] = []
    for index, line in enumerate(lines):
        title = _TITLE.match(line)
        if not title:
            continue
        blocks = list(_blocks(lines, index + 1))
        if not blocks:
            continue  # a 专栏 of narrative items (project lists), not a table
        table = f"专栏{title.group(1)}"
        ordinal = plan_ordinal(title.group(2))
        if ordinal is None:
            raise InputError(file, f"line {index + 1}", f"{table} title names no five-year plan: {line.strip()!r}")
        header_line, header = blocks[0]
        if not any(normalize_cell(c) == "序号" for c in header):
            raise InputError(
                file, f"line {header_line}", f"{table} has no header row (序号, 指标名称, …): found {header!r}"
            )
        rows.extend(_parse_table(blocks, file, table, make_plan(region, ordinal)))
    return rows


def _parse_table(blocks: list[tuple[int, list[str]]], file: str, table: str, plan: Plan) -> list[TableRow]:
    header_line, header = blocks[0]
    columns = _read_header(header, file, header_line, table)
    assert columns.seq is not None and columns.name is not None and columns.attribute is not None
    target_col, target_year = columns.values["target"]
    if target_year != plan.target_year:
        raise InputError(file, f"line {header_line}", f"{table} targets {target_year}, plan ends {plan.target_year}")
    section: tuple[int, str] | None = None
    parent: TableRow | None = None
    rows: list[TableRow] = []
    for line, cells in blocks[1:]:
        if len(cells) == 1 and normalize_cell(cells[0]).startswith(("备注", "注:")):
            break
        if (found := _section(cells)) is not None and len(cells) < len(header):
            section = found
            continue
        if len(cells) != len(header):
            raise InputError(
                file, f"line {line}", f"{table} row has {len(cells)} cells, the header has {len(header)}: {cells!r}"
            )
        seq_text = normalize_cell(cells[columns.seq])
        name_text = cells[columns.name].strip()
        is_sub_row = not seq_text and name_text.startswith(("#", "＃"))
        if not is_sub_row and not seq_text.isdigit():
            raise InputError(file, f"line {line}", f"{table} row number {cells[columns.seq]!r} is not a number")
        if is_sub_row and parent is None:
            raise InputError(file, f"line {line}", f"{table} sub-row {name_text!r} has no numbered row above it")
        name_zh, unit, basis = split_name_unit(name_text.lstrip("#＃"))
        attribute_text = normalize_cell(cells[columns.attribute])
        if attribute_text in _ATTRIBUTES:
            attribute = _ATTRIBUTES[attribute_text]
        elif is_sub_row and not attribute_text and parent is not None:
            attribute = parent.attribute  # '#' rows are parts of their parent indicator
        else:
            raise InputError(
                file, f"line {line + columns.attribute}", f"attribute {cells[columns.attribute]!r} is not 预期性/约束性"
            )
        baseline = result = None
        if "baseline" in columns.values:
            baseline = _value(cells, columns.values["baseline"][0], file, line, "baseline")
        if "result" in columns.values:
            result = _value(cells, columns.values["result"][0], file, line, "result")
        row = TableRow(
            plan=plan,
            table=table,
            seq=None if is_sub_row else int(seq_text),
            parent_seq=parent.seq if is_sub_row and parent is not None else None,
            name_zh=name_zh,
            name_text=name_text,
            unit=unit if unit is not None or not is_sub_row or parent is None else parent.unit,
            price_basis=basis,
            section_no=section[0] if section else None,
            section_zh=section[1] if section else None,
            baseline=baseline,
            target=_value(cells, target_col, file, line, "target"),
            result=result,
            attribute=attribute,
            line=line,
        )
        rows.append(row)
        if not is_sub_row:
            parent = row
    return rows
