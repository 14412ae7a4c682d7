"""`planwatch report peers --xlsx FILE [--group 渝东南] [--year Y]`: the peer comparison as a statistics bureau
sends it: a title, the units, one row per indicator, each member region with its value and its rank (位次), the
group median, the focus region highlighted, notes and 资料来源; a second sheet lists every figure's source."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

MISSING = "—"  # a member that published no figure: 数据缺失
PEER_SQL = """
select group_code, group_zh, metric_key, metric_label_zh, unit, direction, metric_order, year,
       region_code, region_zh, member_order, is_focus_region, value, value_kind, rank_in_group,
       n_reported, n_in_group, group_median, source_kind, source_url, source_document, source_locator
from marts.rpt_peer_comparison
where (group_code = $group or group_zh = $group) and year = $year
order by metric_order, member_order
"""
YEARS_SQL = """
select year, max(n_reported) as most_reported
from marts.rpt_peer_comparison
where group_code = $group or group_zh = $group
group by year
order by year
"""
GROUPS_SQL = "select distinct group_code, group_zh from marts.rpt_peer_comparison order by 1"
SOURCE_KIND_ZH = {
    "bulletin": "统计公报",
    "work_report": "政府工作报告",
    "economic_report": "经济运行情况",
    "plan_proposal": "规划建议",
    "plan_review": "规划纲要回顾",
    "news": "新闻报道",
}


def default_year(years: list[tuple[int, int]]) -> int | None:
    """The latest year that at least two members reported, else the latest year with any figure."""
    compared = [year for year, most in years if most >= 2]
    if compared:
        return compared[-1]
    return years[-1][0] if years else None


def peer_rows(connection: duckdb.DuckDBPyConnection, group: str, year: int) -> list[dict]:
    cursor = connection.execute(PEER_SQL, {"group": group, "year": year})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _number_format(unit: str) -> str:
    return "0" if unit == "元" else "0.00"


def write_peer_xlsx(rows: list[dict], path: Path) -> None:
    """The comparison table of one group and year (rows of rpt_peer_comparison, ordered by metric and member)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    group_zh, year = rows[0]["group_zh"], rows[0]["year"]
    members: dict[str, dict] = {}
    for row in rows:
        members.setdefault(row["region_code"], row)
    metrics: dict[str, list[dict]] = {}
    for row in rows:
        metrics.setdefault(row["metric_key"], []).append(row)
    n_columns = 1 + 2 * len(members) + 2
    book = Workbook()
    sheet = book.active
    sheet.title = "区域对比"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    focus_fill = PatternFill("solid", fgColor="FFF2CC")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([f"{group_zh}区县主要经济指标对比（{year}年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_columns)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["单位：见指标名称括号内"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n_columns)
    sheet["A2"].alignment = Alignment(horizontal="right")
    # two header rows: region names over (数值, 位次)
    top = ["指标名称"]
    for member in members.values():
        top += [member["region_zh"] or member["region_code"], None]
    top += ["组中位数", "已公布地区数"]
    sheet.append(top)
    sub = [None] + ["数值", "位次"] * len(members) + [None, None]
    sheet.append(sub)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for i in range(len(members)):
        sheet.merge_cells(start_row=3, start_column=2 + 2 * i, end_row=3, end_column=3 + 2 * i)
    for column in (n_columns - 1, n_columns):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    for header_row in (3, 4):
        for cell in sheet[header_row][:n_columns]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = border
            cell.alignment = center
    focus_columns = [
        2 + 2 * i + offset for i, m in enumerate(members.values()) if m["is_focus_region"] for offset in (0, 1)
    ]
    for column in focus_columns:
        sheet.cell(3, column).fill = focus_fill
        sheet.cell(4, column).fill = focus_fill

    estimate_seen = False
    for metric_rows in metrics.values():
        first = metric_rows[0]
        line: list[object] = [f"{first['metric_label_zh']}（{first['unit']}）"]
        for row in metric_rows:
            if row["value"] is None:
                line += [MISSING, MISSING]
            else:
                line += [row["value"], row["rank_in_group"]]
        line += [first["group_median"], f"{first['n_reported']}/{first['n_in_group']}"]
        sheet.append(line)
        cells = sheet[sheet.max_row][:n_columns]
        for cell in cells:
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center")
        cells[0].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        for i, row in enumerate(metric_rows):
            value_cell = cells[1 + 2 * i]
            if row["value"] is not None:
                value_cell.number_format = _number_format(first["unit"])
                if row["value_kind"] != "reported":
                    value_cell.font = Font(italic=True)
                    estimate_seen = True
        if first["group_median"] is not None:
            cells[n_columns - 2].number_format = _number_format(first["unit"])
        for column in focus_columns:
            cells[column - 1].fill = focus_fill

    sheet.append([])
    notes = [
        "注：1.位次为已公布该指标地区中的位次，数值相同者位次相同；单位地区生产总值能耗等越低越好的指标，"
        "数值越低位次越前。2.“—”表示未找到公开数据（数据缺失），不参与排位。"
        + ("3.斜体数值为预计数或下限值。" if estimate_seen else ""),
        "资料来源：" + _sources_line(rows) + "；逐项来源网址见“资料来源”工作表。",
    ]
    for note in notes:
        sheet.append([note])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=n_columns)
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[sheet.max_row].height = 48
    sheet.column_dimensions["A"].width = 34
    for column in range(2, n_columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    sheet.freeze_panes = "B5"
    _write_sources_sheet(book, rows)
    book.save(path)


def _sources_line(rows: list[dict]) -> str:
    kinds_by_region: dict[str, set[str]] = {}
    for row in rows:
        if row["value"] is not None:
            name = row["region_zh"] or row["region_code"]
            kinds_by_region.setdefault(name, set()).add(SOURCE_KIND_ZH.get(row["source_kind"], row["source_kind"]))
    if not kinds_by_region:
        return "无"
    return "；".join(f"{region}{'、'.join(sorted(kinds))}" for region, kinds in kinds_by_region.items())


def _write_sources_sheet(book, rows: list[dict]) -> None:
    sheet = book.create_sheet("资料来源")
    sheet.append(["地区", "指标名称", "年份", "数值", "单位", "数值类型", "来源类型", "来源网址或文件", "来源位置"])
    kind_zh = {"reported": "公布数", "estimate": "预计数", "lower_bound": "下限值", "estimate_lower_bound": "预计下限"}
    for row in rows:
        if row["value"] is None:
            continue
        sheet.append(
            [
                row["region_zh"] or row["region_code"],
                row["metric_label_zh"],
                row["year"],
                row["value"],
                row["unit"],
                kind_zh.get(row["value_kind"], row["value_kind"]),
                SOURCE_KIND_ZH.get(row["source_kind"], row["source_kind"]),
                row["source_url"] or row["source_document"],
                row["source_locator"],
            ]
        )
    for column, width in zip("ABCDEFGHI", (20, 26, 8, 12, 10, 10, 12, 60, 60), strict=True):
        sheet.column_dimensions[column].width = width


def run_peers(args: argparse.Namespace) -> int:
    from planwatch.warehouse_cli import connect_served

    connection = connect_served()
    groups = connection.execute(GROUPS_SQL).fetchall()
    if not groups:
        print("error: no peer comparison in the warehouse; add a group to catalog/peer_groups.yaml", file=sys.stderr)
        return 2
    group = args.group or groups[0][0]
    if group not in {code for code, _ in groups} | {name for _, name in groups}:
        names = ", ".join(f"{name} ({code})" for code, name in groups)
        print(f"error: no peer group {group!r} with figures; groups: {names}", file=sys.stderr)
        return 2
    years = connection.execute(YEARS_SQL, {"group": group}).fetchall()
    year = args.year or default_year(years)
    rows = peer_rows(connection, group, year) if year else []
    if not rows:
        have = ", ".join(str(y) for y, _ in years)
        print(f"error: no figures of {group} for {year}; years with figures: {have}", file=sys.stderr)
        return 2
    write_peer_xlsx(rows, args.xlsx)
    n_metrics = len({r["metric_key"] for r in rows})
    focus = next((r for r in rows if r["is_focus_region"]), None)
    focus_note = ""
    if focus:
        ranked = sum(1 for r in rows if r["is_focus_region"] and r["rank_in_group"] is not None)
        focus_note = f"; {focus['region_zh']} ranked in {ranked} of {n_metrics}"
    print(f"wrote {args.xlsx}: {rows[0]['group_zh']} {year}, {n_metrics} indicators{focus_note}", file=sys.stderr)
    return 0


def register(kinds: argparse._SubParsersAction) -> None:
    peers = kinds.add_parser("peers", help="the peer comparison (区域对比) of a group and year as an Excel file")
    peers.add_argument("--xlsx", type=Path, required=True, help="where to write the workbook")
    peers.add_argument("--group", help="group code or name (default: the first group, 渝东南)")
    peers.add_argument("--year", type=int, help="statistical year (default: the latest year two members reported)")
    peers.set_defaults(handler=run_peers)
