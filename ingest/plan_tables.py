"""Indicator tables (专栏) of a five-year-plan outline → one record per row. Pure: text in, records out.

The outline is plain text (a .txt outline as it is, or a Word, PDF or HTML outline converted by
ingest/plan_formats.py): a table cell is a line starting with a tab, rows are separated by blank lines, and a table
ends at the first line that is not a cell. Tables are found by their structure (a 专栏/表 title followed by a
header row holding 序号 and an indicator-name column), never by line numbers, and their columns are read by role,
not by exact header text (docs/PLAN_NOTATION.md):

  序号 · 指标/指标名称/主要指标 (unit in parentheses) · 单位 · 类别/领域/分类 (filled on a group's first row) ·
  base-year column (2020年, 基期, 现状值) · target-year column (2025年, 2025年目标值) · further target columns
  (2035年: a target of its own) · 年均/累计 (a target that says how it aggregates) · 完成值 · 属性/指标属性 · 备注.

A row that cannot be read is rejected with its place and cell text (`read_tables`); the other rows are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ingest.notation import Legend, NotationError, TargetValue, normalize_cell, parse_target, read_legend
from planwatch_core.errors import InputError

_TITLE = re.compile(r"^\s*(专栏|附表|表)\s*(\d+)\s*(?:[:：]\s*|\s+)(.+?)\s*$")
_PLAN_ORDINAL = re.compile(r"十([一二三四五六七八九])(?:个)?五")
_SECTION_ONE_CELL = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$")
_CHINESE_NUMERALS = "一二三四五六七八九十"
_ATTRIBUTES = {"预期性": "expected", "约束性": "binding"}
_UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)[（(](?P<unit>[^（）()]+)[）)]$")
_SUB_ROW = re.compile(r"^(?:[#＃]|其中\s*[:：]?)")
_LEGEND_LINE = re.compile(r"^(?:备注|注)\s*\d*\s*[:：、.．]?")
Where = Callable[[int], str]


def line_place(line: int) -> str:
    return f"line {line}"


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
class ExtraTarget:
    """A further target of a row: a later-year column (2035年) or the 年均/累计 column next to a level target."""

    suffix: str  # indicator id suffix: y2035 · avg · cum
    year: int
    value: TargetValue


@dataclass(frozen=True)
class TableRow:
    """One row of a plan table: a numbered indicator or a '#'/其中 sub-row under one."""

    plan: Plan
    table: str  # 专栏2
    seq: int | None
    parent_seq: int | None
    name_zh: str
    name_text: str  # the name cell as written, unit included
    unit: str | None
    price_basis: str | None
    section_no: int | None  # 1 for 一、… or the first 类别 group; None before the first section row
    section_zh: str | None
    baseline: TargetValue | None  # the base-year column, when the table has one
    target: TargetValue
    result: TargetValue | None  # the 完成值 column of a review table (专栏1)
    attribute: str  # expected · binding
    line: int  # 1-based line of the row's first cell
    baseline_year: int | None = None  # the baseline's year when the legend gives it another one ('*' = 2019年数据)
    extra_targets: tuple[ExtraTarget, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """A row (or a table) the reader cannot interpret: where, why, and the cells as written."""

    place: str
    reason: str
    excerpt: str

    def error(self, file: str) -> InputError:
        return InputError(file, self.place, self.reason)


@dataclass(frozen=True)
class TableResult:
    rows: list[TableRow]
    rejections: list[Rejection]
    tables_seen: int  # 专栏 titles followed by a table (read or rejected)


@dataclass
class _Columns:
    seq: int | None = None
    name: int | None = None
    unit: int | None = None
    category: int | None = None
    attribute: int | None = None
    aggregate: int | None = None  # the 年均/累计 column
    aggregate_kind: str | None = None  # average · cumulative · None (either: the cell or the name says)
    ignored: list[int] = field(default_factory=list)  # 备注 / 责任单位-free notes
    values: dict[str, tuple[int, int]] = field(default_factory=dict)  # role → (column, year)
    later: list[tuple[int, int]] = field(default_factory=list)  # further target columns (column, year)


class _RowError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


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
    return (match.group("name").strip(), *split_unit(match.group("unit")))


def split_unit(text: str) -> tuple[str | None, str | None]:
    """'万元，2020年价' → ('万元', '2020年价'); the text of a 单位 column or of the name's last parenthesis."""
    text = text.strip().strip("（）()")
    parts = [p.strip() for p in re.split(r"[，,、;；]", text) if p.strip()]
    basis = next((p for p in parts if p.endswith("价")), None)
    units = [p for p in parts if p != basis]
    return (units[0] if units else None), basis


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


def _header_role(cell: str) -> tuple[str, int | None]:
    """(role, year) of one header cell, read by what the column holds, not by its exact text."""
    if cell == "序号" or cell in ("编号", "序"):
        return "seq", None
    if re.search(r"类别|领域|分类|维度|类型", cell) and "指标" not in cell:
        return "category", None
    if cell.startswith(("指标", "主要指标", "指标名称")) and "属性" not in cell and "性质" not in cell:
        return "name", None
    if cell in ("项目", "内容") or cell.startswith(("项目（", "项目(")):
        return "name", None
    if re.fullmatch(r"(?:计量)?单位", cell):
        return "unit", None
    if re.fullmatch(r"(?:指标)?(?:属性|性质|类型属性)", cell):
        return "attribute", None
    if cell in ("备注", "说明"):
        return "note", None
    year = re.search(r"(\d{4})", cell)
    if re.search(r"年均|累计", cell):
        return ("aggregate", None)
    if re.search(r"完成值|实际值|完成情况|完成$", cell):
        return "result", int(year.group(1)) if year else None
    if re.search(r"基期|现状|基准|基数", cell):
        return "baseline", int(year.group(1)) if year else None
    if re.fullmatch(r"(?:\d{4})年?(?:目标值?|规划目标|预期目标|目标)?", cell) or re.fullmatch(
        r"(?:\d{4})年?[（(](?:目标值?|预期值?)[)）]", cell
    ):
        return "year", int(year.group(1)) if year else None
    if re.fullmatch(r"(?:规划)?目标值?", cell):
        return "target", None
    return "unknown", None


def _read_header(cells: list[str], file: str, line: int, table: str, plan: Plan | None = None) -> _Columns:
    columns = _Columns()
    years: list[tuple[int, int]] = []
    for position, raw in enumerate(cells):
        cell = normalize_cell(raw)
        role, year = _header_role(cell)
        if role in ("seq", "name", "unit", "category", "attribute") and getattr(columns, role) is None:
            setattr(columns, role, position)
        elif role == "note":
            columns.ignored.append(position)
        elif role == "aggregate":
            columns.aggregate = position
            has_average, has_cumulative = "年均" in cell, "累计" in cell
            columns.aggregate_kind = (
                None if has_average == has_cumulative else ("average" if has_average else "cumulative")
            )
        elif role == "result":
            columns.values["result"] = (position, year or (plan.target_year if plan else 0))
        elif role == "baseline":
            columns.values["baseline"] = (position, year or (plan.base_year if plan else 0))
        elif role == "target":
            columns.values["target"] = (position, plan.target_year if plan else 0)
        elif role == "year" and year is not None and "目标" in cell and "target" not in columns.values:
            columns.values["target"] = (position, year)
        elif role == "year" and year is not None:
            years.append((position, year))
        else:
            raise InputError(file, f"line {line} ({table} header)", f"unknown column {raw!r}")
    _assign_years(columns, sorted(years, key=lambda item: item[1]), plan, file, line, table)
    missing = [
        n for n, v in (("序号", columns.seq), ("指标名称", columns.name), ("属性", columns.attribute)) if v is None
    ]
    if missing or ("target" not in columns.values and columns.aggregate is None):
        missing += [] if "target" in columns.values or columns.aggregate is not None else ["target column"]
        raise InputError(file, f"line {line} ({table} header)", f"header lacks {', '.join(missing)}")
    return columns


def _assign_years(
    columns: _Columns, years: list[tuple[int, int]], plan: Plan | None, file: str, line: int, table: str
) -> None:
    """Year columns by the plan's own years: base year → baseline, target year → target, later → further targets.
    Without a plan (a title naming none): the earliest is the baseline, the next the target, later ones further."""
    if not years:
        return
    if plan is not None and any(year in (plan.base_year, plan.target_year) for _, year in years):
        for position, year in years:
            if year == plan.target_year and "target" not in columns.values:
                columns.values["target"] = (position, year)
            elif year > plan.target_year:
                columns.later.append((position, year))
            elif year < plan.target_year and "baseline" not in columns.values:
                columns.values["baseline"] = (position, year)
            else:
                raise InputError(file, f"line {line} ({table} header)", f"a second column for {year}")
        return
    if len(years) == 1 and "target" not in columns.values:
        columns.values["target"] = years[0]
        return
    if "baseline" not in columns.values:
        columns.values["baseline"], years = years[0], years[1:]
    if "target" not in columns.values and years:
        columns.values["target"], years = years[0], years[1:]
    columns.later.extend(years)


def _section(cells: list[str]) -> tuple[int, str] | None:
    """'一、推动高质量发展' or ('一', '创新发展') → (1, name)."""
    texts = [normalize_cell(c) for c in cells if c.strip()]
    if len(set(texts)) == 1 and (match := _SECTION_ONE_CELL.match(texts[0])):
        numeral, name = match.groups()
    elif len(texts) == 2 and texts[0] and all(ch in _CHINESE_NUMERALS for ch in texts[0]):
        numeral, name = texts
    else:
        return None
    number = _CHINESE_NUMERALS.index(numeral[-1]) + 1 + (10 if len(numeral) > 1 else 0)
    return number, name


def _value(cells: list[str], column: int, line: int, what: str, legend: Legend) -> TargetValue:
    try:
        return parse_target(cells[column], legend)
    except NotationError as exc:
        raise _RowError(line + column, f"{what} cell {cells[column]!r}: {exc}") from exc


def _legend_after(lines: list[str], index: int) -> Legend:
    """The table's note: 注/备注 lines (and the numbered lines under a bare 注：) right after the table."""
    texts: list[str] = []
    in_note = False
    for line in lines[index : index + 12]:
        text = line.strip().lstrip("\t").strip()
        if not text:
            continue
        if _LEGEND_LINE.match(text) and (text.startswith(("注", "备注"))):
            texts.append(text)
            in_note = True
        elif in_note and re.match(r"^[（(]?\d+[)）.．、]", text):
            texts.append(text)
        elif texts or line.startswith("\t"):
            if line.startswith("\t"):
                continue
            break
        elif not line.startswith("\t"):
            break
    return read_legend("\n".join(texts)) if texts else Legend()


def _table_end(lines: list[str], start: int) -> int:
    blocks = list(_blocks(lines, start))
    if not blocks:
        return start
    last_line, cells = blocks[-1]
    return last_line - 1 + len(cells)


def read_tables(
    text: str, file: str, region: Region, default_ordinal: int | None = None, where: Where = line_place
) -> TableResult:
    """Every row of every indicator table in the document, in document order, and the rows it cannot read."""
    lines = text.splitlines()
    rows: list[TableRow] = []
    rejections: list[Rejection] = []
    tables_seen = 0
    for index, line in enumerate(lines):
        title = _TITLE.match(line)
        if not title:
            continue
        blocks = list(_blocks(lines, index + 1))
        if not blocks:
            continue  # a 专栏 of narrative items (project lists), not a table
        header_line, header = blocks[0]
        if not any(normalize_cell(c) in ("序号", "编号") for c in header):
            if title.group(1) != "专栏":
                continue  # a 表 of something else
            rejections.append(
                Rejection(
                    where(header_line),
                    f"专栏{title.group(2)} has no header row (序号, 指标名称, …)",
                    " | ".join(header),
                )
            )
            continue
        tables_seen += 1
        table = f"{title.group(1)}{title.group(2)}" if title.group(1) != "专栏" else f"专栏{title.group(2)}"
        ordinal = plan_ordinal(title.group(3)) or default_ordinal
        if ordinal is None:
            rejections.append(Rejection(where(index + 1), f"{table} title names no five-year plan", line.strip()))
            continue
        legend = _legend_after(lines, _table_end(lines, index + 1))
        try:
            table_rows, table_rejections = _parse_table(blocks, table, make_plan(region, ordinal), legend, where)
        except InputError as exc:
            rejections.append(Rejection(where(header_line), f"{table}: {exc.reason}", " | ".join(header)))
            continue
        rows.extend(table_rows)
        rejections.extend(table_rejections)
    return TableResult(rows, rejections, tables_seen)


def parse_tables(text: str, file: str, region: Region) -> list[TableRow]:
    """Strict: every row of every table, or an InputError naming the first row that cannot be read."""
    result = read_tables(text, file, region)
    if result.rejections:
        raise result.rejections[0].error(file)
    return result.rows


def _parse_table(
    blocks: list[tuple[int, list[str]]], table: str, plan: Plan, legend: Legend, where: Where
) -> tuple[list[TableRow], list[Rejection]]:
    header_line, header = blocks[0]
    columns = _read_header(header, "", header_line, table, plan)
    assert columns.seq is not None and columns.name is not None and columns.attribute is not None
    if "target" in columns.values:
        target_year = columns.values["target"][1]
        if target_year != plan.target_year:
            raise InputError("", where(header_line), f"{table} targets {target_year}, plan ends {plan.target_year}")
    section: tuple[int, str] | None = None
    categories: list[str] = []
    parent: TableRow | None = None
    rows: list[TableRow] = []
    rejections: list[Rejection] = []
    width = len(header)
    for line, cells in blocks[1:]:
        first = normalize_cell(cells[0]) if cells else ""
        if len(cells) <= 2 and first.startswith(("备注", "注:", "注1", "注")) and not first.startswith("注册"):
            break
        if [normalize_cell(c) for c in cells] == [normalize_cell(c) for c in header]:
            continue  # a header repeated on the next page
        if (found := _section(cells)) is not None and len(cells) < width:
            section = found
            continue
        if len(cells) < width and columns.category == 0 and len(cells) == width - 1:
            cells = ["", *cells]  # an HTML row under a category cell spanning rows (rowspan)
        if len(cells) != width:
            rejections.append(
                Rejection(
                    where(line),
                    f"{table} row has {len(cells)} cells, the header has {width}: {cells!r}",
                    " | ".join(cells),
                )
            )
            continue
        if columns.category is not None and (category := normalize_cell(cells[columns.category])):
            if category not in categories:
                categories.append(category)
            section = (categories.index(category) + 1, category)
        try:
            row = _parse_row(cells, line, table, plan, columns, legend, section, parent)
        except _RowError as exc:
            rejections.append(Rejection(where(exc.line), exc.reason, " | ".join(cells)))
            continue
        rows.append(row)
        if row.seq is not None:
            parent = row
    return rows, rejections


def _parse_row(
    cells: list[str],
    line: int,
    table: str,
    plan: Plan,
    columns: _Columns,
    legend: Legend,
    section: tuple[int, str] | None,
    parent: TableRow | None,
) -> TableRow:
    assert columns.seq is not None and columns.name is not None and columns.attribute is not None
    seq_text = normalize_cell(cells[columns.seq])
    name_text = cells[columns.name].strip()
    is_sub_row = not seq_text.isdigit() and bool(_SUB_ROW.match(name_text)) and seq_text in ("", "#", "＃")
    if not is_sub_row and not seq_text.isdigit():
        raise _RowError(line, f"{table} row number {cells[columns.seq]!r} is not a number")
    if is_sub_row and parent is None:
        raise _RowError(line, f"{table} sub-row {name_text!r} has no numbered row above it")
    name_zh, unit, basis = split_name_unit(_SUB_ROW.sub("", name_text).strip())
    if columns.unit is not None and (unit_text := cells[columns.unit].strip()) and unit_text not in ("－", "-", "/"):
        unit, unit_basis = split_unit(unit_text)
        basis = basis or unit_basis
    attribute_text = normalize_cell(cells[columns.attribute])
    if attribute_text in _ATTRIBUTES:
        attribute = _ATTRIBUTES[attribute_text]
    elif is_sub_row and not attribute_text and parent is not None:
        attribute = parent.attribute  # '#' rows are parts of their parent indicator
    else:
        raise _RowError(line + columns.attribute, f"attribute {cells[columns.attribute]!r} is not 预期性/约束性")
    baseline = result = None
    if "baseline" in columns.values:
        baseline = _value(cells, columns.values["baseline"][0], line, "baseline", legend)
    if "result" in columns.values:
        result = _value(cells, columns.values["result"][0], line, "result", legend)
    target = _value(cells, columns.values["target"][0], line, "target", legend) if "target" in columns.values else None
    extras: list[ExtraTarget] = []
    if columns.aggregate is not None and cells[columns.aggregate].strip():
        aggregate = _aggregate_value(
            cells[columns.aggregate], columns.aggregate_kind, name_zh, line + columns.aggregate, legend
        )
        if aggregate is not None and (target is None or target.is_null):
            target = aggregate
        elif aggregate is not None:
            suffix = "avg" if aggregate.aggregation == "average" else "cum"
            extras.append(ExtraTarget(suffix, plan.target_year, aggregate))
    if target is None:
        raise _RowError(line, f"{table} row {name_text!r} has no target (target-year and 年均/累计 cells empty)")
    for position, year in columns.later:
        if cells[position].strip():
            value = _value(cells, position, line, f"{year} target", legend)
            if not value.is_null:
                extras.append(ExtraTarget(f"y{year}", year, value))
    baseline_year = legend.year_of(baseline.marks) if baseline is not None else None
    if baseline_year is None and "baseline" in columns.values and columns.values["baseline"][1] != plan.base_year:
        baseline_year = columns.values["baseline"][1] or None
    return TableRow(
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
        target=target,
        result=result,
        attribute=attribute,
        line=line,
        baseline_year=baseline_year,
        extra_targets=tuple(extras),
    )


def _aggregate_value(text: str, kind: str | None, name_zh: str, line: int, legend: Legend) -> TargetValue | None:
    """A 年均/累计 cell: '〔30〕', '6△', '年均6', '累计30', or a bare number under a header that says which."""
    cell = normalize_cell(text)
    if cell in ("", "-", "－", "/", "—"):
        return None
    prefix = next((p for p in ("年均", "累计") if cell.startswith(p)), None)
    try:
        value = parse_target(cell[len(prefix) :] if prefix else text, legend)
    except NotationError as exc:
        raise _RowError(line, f"年均/累计 cell {text!r}: {exc}") from exc
    if value.is_null:
        return None
    if value.aggregation in ("average", "cumulative") and prefix is None:
        return TargetValue(text.strip(), value.value, value.aggregation, value.comparator, value.structure)
    said = {"年均": "average", "累计": "cumulative"}.get(prefix or "") or kind
    if said is None:
        said = "average" if "年均" in name_zh else ("cumulative" if "累计" in name_zh else None)
    if said is None:
        raise _RowError(line, f"年均/累计 cell {text!r} says neither 年均 nor 累计 (mark it 〔〕/△ or name it)")
    return TargetValue(text.strip(), value.value, said, value.comparator, value.structure)
