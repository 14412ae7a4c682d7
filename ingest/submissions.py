"""Department submissions: a template generated from the catalog (the indicators whose actual a department
submits), and an importer that validates every row. Good rows land; bad rows are rejected with their row number
and reason; a file that cannot be read at all is quarantined whole."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.catalog import CatalogEntry
from ingest.guard import DEFAULT_LIMITS, csv_field_limit, too_long_cells
from ingest.notation import parse_target
from ingest.plan_tables import plan_years
from ingest.plausibility import Gate, default_gate
from planwatch_core.errors import InputError

# (key, Chinese header as printed in the template)
COLUMNS = (
    ("region_code", "地区代码"),
    ("indicator_id", "指标编号"),
    ("indicator_name", "指标名称"),
    ("year", "年份"),
    ("value", "数值"),
    ("unit", "计量单位"),
    ("source", "数据来源"),
    ("note", "备注"),
)
VERDICTS = ("达标", "未达标")
_HEADER_KEY = re.compile(r"\(([a-z_]+)\)$")


@dataclass(frozen=True)
class SubmissionIndicator:
    entry: CatalogEntry
    plan_id: str
    region_code: str
    first_year: int
    last_year: int

    @property
    def qualitative(self) -> bool:
        return parse_target(self.entry.target_text).comparator == "qualitative"


def submission_indicators(
    catalog: list[CatalogEntry], region_by_slug: dict[str, str], plan_id: str | None = None
) -> list[SubmissionIndicator]:
    """The catalog's indicators whose actual comes from a submission, with the years a value may be given for.
    Plan ids read <region slug>-<ordinal>th (qianjiang-14th)."""
    found = []
    for entry in catalog:
        entry_plan = entry.indicator_id.rsplit("-", 1)[0]
        if entry.actual_kind != "submission" or (plan_id and entry_plan != plan_id):
            continue
        slug, ordinal = re.fullmatch(r"(.+)-(\d+)th", entry_plan).groups()
        base, target = plan_years(int(ordinal))
        found.append(SubmissionIndicator(entry, entry_plan, region_by_slug.get(slug, ""), base + 1, target))
    return found


# --- template -------------------------------------------------------------------------------------------------


def _header(key: str, label: str) -> str:
    return f"{label}({key})"


def template_rows(indicators: list[SubmissionIndicator]) -> list[dict]:
    return [
        {
            "region_code": ind.region_code,
            "indicator_id": ind.entry.indicator_id,
            "indicator_name": ind.entry.name_zh,
            "year": year,
            "value": "",
            "unit": "" if ind.qualitative else (ind.entry.unit or ""),
            "source": "",
            "note": "",
        }
        for ind in indicators
        for year in range(ind.first_year, ind.last_year + 1)
    ]


def write_template_csv(indicators: list[SubmissionIndicator], path: Path) -> int:
    rows = template_rows(indicators)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel opens it as UTF-8
        writer = csv.writer(handle)
        writer.writerow([_header(k, label) for k, label in COLUMNS])
        writer.writerows([[row[k] for k, _ in COLUMNS] for row in rows])
    return len(rows)


def write_template_xlsx(indicators: list[SubmissionIndicator], path: Path) -> int:
    # openpyxl is imported where a workbook is read or written: every build imports this module, few read an .xlsx
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = template_rows(indicators)
    book = Workbook()
    sheet = book.active
    sheet.title = "报送数据"
    sheet.append([_header(k, label) for k, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        sheet.append([row[k] for k, _ in COLUMNS])
    verdict = DataValidation(
        type="list",
        formula1=f'"{",".join(VERDICTS)}"',
        allow_blank=True,
        error="请填写“达标”或“未达标”",
        errorTitle="定性指标",
    )
    number = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E12",
        formula2="1E12",
        allow_blank=True,
        error="请填写数字",
        errorTitle="数值",
    )
    sheet.add_data_validation(verdict)
    sheet.add_data_validation(number)
    qualitative = {ind.entry.indicator_id for ind in indicators if ind.qualitative}
    for index, row in enumerate(rows, start=2):
        (verdict if row["indicator_id"] in qualitative else number).add(f"E{index}")
    for column, width in zip("ABCDEFGH", (10, 20, 36, 8, 12, 10, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填报说明")
    guide.append(["指标编号", "指标名称", "计量单位", "可填年份", "合理范围", "说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for ind in indicators:
        entry = ind.entry
        plausible = (
            f"{entry.plausible_low:g} – {entry.plausible_high:g}" if entry.plausible_low is not None else "达标/未达标"
        )
        guide.append(
            [
                entry.indicator_id,
                entry.name_zh,
                entry.unit or "",
                f"{ind.first_year}–{ind.last_year}",
                plausible,
                entry.note or "",
            ]
        )
    guide.append([])
    guide.append(
        ["每行一个指标一个年份；“数据来源”必填（部门及文件名）；空白行不导入；填好后放入 inbox/submissions/。"]
    )
    book.save(path)
    return len(rows)


# --- importer -------------------------------------------------------------------------------------------------


def _normalise_header(cell: object) -> str:
    text = str(cell or "").strip()
    match = _HEADER_KEY.search(text)
    if match:
        return match.group(1)
    by_label = {label: key for key, label in COLUMNS}
    return by_label.get(text, text)


DATA_SHEET = "报送数据"
_REQUIRED = tuple(k for k, _ in COLUMNS if k not in ("indicator_name", "note"))
_HEADER_SEARCH_ROWS = 10  # a title or a note may stand above the header
NO_CACHED_VALUE = object()  # a formula cell saved without its computed value


def _sheet_rows(sheet: object, formulas: object | None) -> list[list[object]]:
    """The cells of a sheet; a formula with no saved value becomes NO_CACHED_VALUE (not an empty cell)."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    if formulas is None:
        return rows
    for r, row in enumerate(formulas.iter_rows(values_only=True)):
        for c, cell in enumerate(row):
            formula = isinstance(cell, str) and cell.startswith("=")
            if formula and r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                rows[r][c] = NO_CACHED_VALUE
    return rows


def _has_header(rows: list[list[object]]) -> int | None:
    """The index of the header row among the first rows, or None."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        header = {_normalise_header(c) for c in row}
        if all(k in header for k in _REQUIRED):
            return index
    return None


def _rows_of(data: bytes, file_name: str) -> tuple[list[list[object]], int]:
    """(the rows of the data sheet from its header row on, the header's row index). The data sheet is the one
    named 报送数据, else the first
    with the template's header (a cover sheet or a guide may come first); a .csv has one."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises several types for a damaged workbook
            raise InputError(
                file_name,
                "whole file",
                f"not a readable .xlsx workbook ({type(exc).__name__})",
                "save it again from Excel/WPS as .xlsx",
            ) from exc
        if not book.sheetnames:
            return [], 0
        names = sorted(book.sheetnames, key=lambda n: n != DATA_SHEET)  # the named sheet first, then in order
        candidates = []
        for name in names:
            rows = _sheet_rows(book[name], formulas[name])
            start = _has_header(rows)
            if start is not None:
                return rows[start:], start
            candidates.append(rows)
        return candidates[0], 0  # no sheet has the header: reported as missing columns of the first
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")  # Excel on Chinese Windows saves CSV as GBK
            except UnicodeDecodeError as exc:
                raise InputError(file_name, f"byte {exc.start}", "neither UTF-8 nor GBK text") from exc
        with csv_field_limit(DEFAULT_LIMITS.max_csv_field_chars):  # a long cell rejects its row, not the file
            reader = csv.reader(io.StringIO(text))
            try:
                rows = [list(row) for row in reader]
            except csv.Error as exc:
                raise InputError(
                    file_name,
                    f"line {reader.line_num + 1}",
                    f"not readable as CSV: {exc}",
                    "check the cell on that line",
                ) from None
        start = _has_header(rows) or 0
        return rows[start:], start
    raise InputError(file_name, "file name", f"submissions must be .xlsx or .csv, not {suffix!r}")


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def strict_number(cell: object) -> float:
    """A number as written: a number cell, or text of digits with at most one decimal point. No separator is
    guessed (1,5 may be 1.5 or 15), no 'about', no unit."""
    if isinstance(cell, bool):
        raise ValueError(f"value {cell!r} is not a number")
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if "," in text or "，" in text:
        raise ValueError(
            f"value {text!r} has a comma: write the number without thousands separators and with a point for "
            "decimals (1.5, 1234)"
        )
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"value {text!r} is not a number")
    return float(text)


def strict_year(cell: object) -> int:
    """A whole year: 2022 or 2022.0 as a number cell, '2022' as text; 2022.9, inf or '2022年' are not years."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    text = str(cell).strip()
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    raise ValueError(f"year {text!r} is not a year (a whole number such as 2022)")


SubmissionIndex = tuple[dict[str, SubmissionIndicator], dict[str, CatalogEntry]]


def submission_index(catalog: list[CatalogEntry], region_by_slug: dict[str, str]) -> SubmissionIndex:
    """(submitted indicators by id, catalog entries by id): built once per run when many files are read."""
    by_id = {ind.entry.indicator_id: ind for ind in submission_indicators(catalog, region_by_slug)}
    return by_id, {e.indicator_id: e for e in catalog}


def read_submission(
    data: bytes,
    file_name: str,
    catalog: list[CatalogEntry],
    region_by_slug: dict[str, str],
    index: SubmissionIndex | None = None,
    gate: Gate | None = None,
) -> tuple[list[dict], list[dict]]:
    """(values, rejections) of one submission file. `index`: submission_index(catalog, region_by_slug), if the
    caller reads many files; `gate`: the plausibility gate (the current date's by default)."""
    gate = gate or default_gate()
    rows, header_row = _rows_of(data, file_name)
    if not rows:
        raise InputError(file_name, "whole file", "the file is empty", "use `planwatch template` to get a template")
    header = [_normalise_header(c) for c in rows[0]]
    missing = [k for k in _REQUIRED if k not in header]
    if missing:
        raise InputError(
            file_name,
            f"header (row {header_row + 1})",
            f"missing columns {', '.join(missing)}",
            "use `planwatch template PLAN_ID --xlsx FILE` and keep its header row",
        )
    by_id, catalogued = index or submission_index(catalog, region_by_slug)
    values: list[dict] = []
    rejections: list[dict] = []
    seen: dict[tuple[str, str, int], int] = {}
    for number, raw in enumerate(rows[1:], start=header_row + 2):
        cells = dict(zip(header, raw, strict=False))
        row = {key: _text(cell) for key, cell in cells.items()}
        if not row.get("value"):
            continue  # a template row nobody filled in
        excerpt = ",".join(row.get(k, "")[:200] for k, _ in COLUMNS)
        try:
            formulas = [k for k, cell in cells.items() if cell is NO_CACHED_VALUE]
            if formulas:
                raise ValueError(
                    f"{', '.join(formulas)}: a formula saved without its value; open the file in Excel/WPS, let it "
                    "calculate and save it (or paste the values)"
                )
            long_cell = too_long_cells(list(row.values()))
            if long_cell:
                raise ValueError(long_cell)
            value = _validate(row, cells, by_id, catalogued, gate)
        except ValueError as exc:
            rejections.append({"place": f"row {number}", "reason": str(exc), "excerpt": excerpt})
            continue
        key = (value["region_code"], value["indicator_id"], value["year"])
        if key in seen:
            rejections.append(
                {
                    "place": f"row {number}",
                    "reason": f"duplicate of row {seen[key]} (same indicator and year)",
                    "excerpt": excerpt,
                }
            )
            continue
        seen[key] = number
        values.append({**value, "source_locator": f"{file_name}:row {number}", "excerpt": excerpt})
    return values, rejections


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if cell is NO_CACHED_VALUE:
        return "=?"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    return str(cell).strip()


def _validate(
    row: dict,
    cells: dict[str, object],
    by_id: dict[str, SubmissionIndicator],
    catalogued: dict[str, CatalogEntry],
    gate: Gate,
) -> dict:
    indicator_id = row.get("indicator_id", "")
    if indicator_id not in by_id:
        if indicator_id in catalogued:
            entry = catalogued[indicator_id]
            raise ValueError(
                f"indicator {indicator_id} is not submitted by departments (its actual comes from "
                f"{entry.actual_kind} {entry.actual_metric or ''}".rstrip()
                + ")"
            )
        raise ValueError(f"unknown indicator {indicator_id!r}")
    indicator = by_id[indicator_id]
    region_code = indicator.region_code
    if row.get("region_code") and row["region_code"] != region_code:
        raise ValueError(f"region_code {row['region_code']!r} is not the region of {indicator_id} ({region_code})")
    year = strict_year(cells.get("year", ""))
    if not indicator.first_year <= year <= indicator.last_year:
        raise ValueError(f"year {year} is outside the plan ({indicator.first_year}–{indicator.last_year})")
    year_problem = gate.year(year)
    if year_problem:
        raise ValueError(year_problem)
    if not row.get("source"):
        raise ValueError("数据来源 (source) is empty: every figure needs its source")
    entry = indicator.entry
    text = row["value"]
    if indicator.qualitative:
        if text not in VERDICTS:
            raise ValueError(f"value {text!r} must be one of {'/'.join(VERDICTS)} for this qualitative indicator")
        number = None
    else:
        unit = row.get("unit", "")
        if unit and unit != (entry.unit or ""):
            raise ValueError(f"unit {unit!r} is wrong: {indicator_id} is measured in {entry.unit!r}")
        number = strict_number(cells["value"])
        problem = gate.value(number, unit=entry.unit)
        if problem:
            raise ValueError(problem)
        low, high = entry.plausible_low, entry.plausible_high
        if low is not None and high is not None and not low <= number <= high:
            raise ValueError(f"value {number:g} is outside the plausible range {low:g}–{high:g} of {indicator_id}")
    return {
        "region_code": region_code,
        "indicator_id": indicator_id,
        "year": year,
        "value": number,
        "value_text": text,
        "unit": None if indicator.qualitative else entry.unit,
        "source": row["source"],
        "note": row.get("note") or None,
    }


def read_submission_file(
    path: Path,
    catalog: list[CatalogEntry],
    region_by_slug: dict[str, str],
    index: SubmissionIndex | None = None,
    gate: Gate | None = None,
) -> tuple[list[dict], list[dict]]:
    return read_submission(path.read_bytes(), path.name, catalog, region_by_slug, index, gate)
