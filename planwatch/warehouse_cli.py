"""Statisticians' commands on the served warehouse:
`planwatch sql ["QUERY"]` (a read-only DuckDB session) and `planwatch report completion PLAN_ID --xlsx FILE`
(the completion table in the plan's own format)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import duckdb

from planwatch import peer_report
from planwatch_core import paths as paths_module
from superset_config.sql_gate import CONNECTION_CONFIG, SqlRefused
from superset_config.sql_gate import check as check_sql

NUMERALS = "一二三四五六七八九十"


def connect_served() -> duckdb.DuckDBPyConnection:
    """The served warehouse, read-only, with the locked configuration Superset uses (sql_gate.CONNECTION_CONFIG:
    no file access, no spill directory, settings locked)."""
    served = paths_module.current().serving_db
    if not served.exists():
        raise SystemExit(f"error: no warehouse at {served}; run `make up` or `planwatch build` first")
    config = {**CONNECTION_CONFIG, "python_enable_replacements": False}
    return duckdb.connect(str(served), read_only=True, config=config)


# --- planwatch sql --------------------------------------------------------------------------------------------


def _print_result(connection: duckdb.DuckDBPyConnection, query: str, as_csv: bool, out=sys.stdout) -> None:
    check_sql(query)  # the gate SQL Lab uses: one read-only SELECT over marts.*, allow-listed functions
    result = connection.sql(query)
    if result is None:
        return
    if as_csv:
        writer = csv.writer(out)
        writer.writerow(result.columns)
        writer.writerows(result.fetchall())
    else:
        result.show(max_width=200, max_rows=200)


def run_sql(args: argparse.Namespace) -> int:
    connection = connect_served()
    if args.query:
        try:
            _print_result(connection, args.query, args.csv)
        except SqlRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except duckdb.Error as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    print(
        f"read-only session on {paths_module.current().serving_db}; tables: marts.* (see warehouse/README.md). "
        "End a statement with ';', quit with Ctrl-D.",
        file=sys.stderr,
    )
    buffer: list[str] = []
    while True:
        try:
            line = input("planwatch> " if not buffer else "      ...> ")
        except EOFError:
            print(file=sys.stderr)
            return 0
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statement = "\n".join(buffer)
            buffer.clear()
            try:
                _print_result(connection, statement, args.csv)
            except (SqlRefused, duckdb.Error) as exc:
                print(f"error: {exc}", file=sys.stderr)


# --- planwatch report completion ------------------------------------------------------------------------------

COMPLETION_SQL = """
select c.seq, c.parent_seq, c.display_name, c.unit, c.target_text, c.actual_text, c.attribute_zh, c.completed,
       c.status_zh, c.status, c.is_final_year, c.as_of_year, c.section_zh, c.sort_key, c.needs_attention,
       p.name_zh as plan_name, p.target_year
from marts.rpt_plan_completion as c
join marts.dim_plan as p using (plan_id)
where c.plan_id = ?
order by c.sort_key
"""


ATTENTION_LABELS_SQL = """
select s.status_zh
from reference.status_codes as s
join reference.status_buckets as b using (bucket)
where b.status_group = 'needs_attention' and s.symbol is null
order by s.sort_order
"""


def attention_labels(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The progress statuses that need attention, as the warehouse's status seed defines them."""
    return [label for (label,) in connection.execute(ATTENTION_LABELS_SQL).fetchall()]


def completion_rows(connection: duckdb.DuckDBPyConnection, plan_id: str) -> list[dict]:
    cursor = connection.execute(COMPLETION_SQL, [plan_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def write_completion_xlsx(rows: list[dict], path: Path, attention: list[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    plan_name, target_year = rows[0]["plan_name"], rows[0]["target_year"]
    final = all(r["is_final_year"] or r["as_of_year"] is None for r in rows) and any(r["is_final_year"] for r in rows)
    years = sorted({r["as_of_year"] for r in rows if r["as_of_year"]})
    as_of = f"{target_year}年" if final else (f"截至{years[-1]}年" if years else "尚无实际数据")
    book = Workbook()
    sheet = book.active
    sheet.title = "完成情况"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([f"{plan_name}主要指标完成情况（{as_of}）"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    header = [
        "序号",
        "指标名称",
        f"{target_year}年目标值",
        "完成值" if final else "最新值",
        "指标属性",
        "完成情况" if final else "进度状态",
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    unfinished = PatternFill("solid", fgColor="FCE4D6")
    section_number = 0
    current_section: object = object()
    for row in rows:
        if row["section_zh"] != current_section and row["parent_seq"] is None:
            current_section = row["section_zh"]
            if current_section is not None:
                section_number += 1
                sheet.append([NUMERALS[section_number - 1], current_section])
                sheet.cell(sheet.max_row, 2).font = Font(bold=True)
                for cell in sheet[sheet.max_row][:6]:
                    cell.border = border
        name = row["display_name"] + (f"（{row['unit']}）" if row["unit"] and row["parent_seq"] is None else "")
        actual = row["actual_text"] or "－"
        if not final and row["as_of_year"] and row["actual_text"]:
            actual = f"{row['actual_text']}（{row['as_of_year']}年）"
        verdict = row["status_zh"]
        sheet.append(
            [
                "" if row["parent_seq"] is not None else row["seq"],
                name,
                row["target_text"],
                actual,
                row["attribute_zh"] if row["parent_seq"] is None else "",
                verdict,
            ]
        )
        cells = sheet[sheet.max_row][:6]
        for cell in cells:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if row["needs_attention"]:  # one definition: status group needs_attention (dbt seeds/status_buckets.csv)
            for cell in cells:
                cell.fill = unfinished
    sheet.append([])
    sheet.append(
        [
            "备注：1.【 】为规划期累计数，带△为规划期年均数；2.完成情况按规划表所列目标值与完成值逐项判定；"
            f"3.底色标注为未完成或需关注（{'、'.join(attention)}）的指标。"
        ]
    )
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
    sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[sheet.max_row].height = 36
    for column, width in zip("ABCDEF", (6, 44, 16, 18, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    book.save(path)


def run_report(args: argparse.Namespace) -> int:
    connection = connect_served()
    rows = completion_rows(connection, args.plan_id)
    if not rows:
        plans = [r[0] for r in connection.execute("select plan_id from marts.dim_plan order by 1").fetchall()]
        print(f"error: no plan {args.plan_id!r} in the warehouse; plans: {', '.join(plans)}", file=sys.stderr)
        return 2
    write_completion_xlsx(rows, args.xlsx, attention_labels(connection))
    done = sum(1 for r in rows if r["completed"] and r["parent_seq"] is None)
    assessed = sum(1 for r in rows if r["completed"] is not None and r["parent_seq"] is None)
    print(
        f"wrote {args.xlsx}: {len(rows)} rows; {done} of {assessed} assessed headline indicators completed",
        file=sys.stderr,
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    sql = subparsers.add_parser("sql", help="read-only SQL on the served warehouse (one query, or a session)")
    sql.add_argument("query", nargs="?", help="a query; without one, an interactive session")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.set_defaults(handler=run_sql)

    report = subparsers.add_parser("report", help="reports for statisticians")
    kinds = report.add_subparsers(dest="report", required=True)
    completion = kinds.add_parser("completion", help="the completion table (完成情况表) of a plan as an Excel file")
    completion.add_argument("plan_id", help="a plan id of marts.dim_plan, e.g. qianjiang-13th or qianjiang-14th")
    completion.add_argument("--xlsx", type=Path, required=True, help="where to write the workbook")
    completion.set_defaults(handler=run_report)
    peer_report.register(kinds)
