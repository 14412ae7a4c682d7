"""`planwatch extract`: JSON lines with exactly the agreed keys, a summary on stderr, exit 2 on a bad file
while the other files are still read."""

from __future__ import annotations

import io
import json

import pandas as pd

from ingest.bulletins import extract_file, figures_frame
from ingest.bulletins.cli import OUTPUT_KEYS
from planwatch.cli import build_parser, main
from tests.bulletins.helpers import FIXTURES


def _run(argv: list[str]) -> tuple[int, str, str]:
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_extract_prints_json_lines_with_exactly_the_agreed_keys() -> None:
    code, out, err = _run(["extract", str(FIXTURES / "qj2021_gbk.txt")])
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(list(row) == list(OUTPUT_KEYS) for row in rows)
    assert set(OUTPUT_KEYS) == {"region_zh", "year", "period", "metric_key", "label_zh", "value", "unit",
                                "growth_pct", "locator", "excerpt", "note"}  # fmt: skip
    gdp = next(r for r in rows if r["metric_key"] == "gdp")
    assert (gdp["value"], gdp["unit"], gdp["growth_pct"], gdp["region_zh"], gdp["year"]) == (
        247.6, "亿元", 7.9, "黔江区", 2021,
    )  # fmt: skip
    assert "地区生产总值247.60亿元" in gdp["excerpt"]
    assert err.strip().splitlines()[-1] == "documents: 1, figures: 19, mapped: 19, rejected: 0"


def test_bad_file_exit_2_and_the_others_still_processed() -> None:
    files = [FIXTURES / "corrupt_binary.txt", FIXTURES / "qj2021_gbk.txt", FIXTURES / "corrupt_empty.txt"]
    code, out, err = _run(["extract", *map(str, files)])
    assert code == 2
    assert len(out.splitlines()) == 19
    assert "corrupt_binary.txt: byte" in err and "corrupt_empty.txt: file: the file is empty" in err
    assert "unreadable files: 2" in err.splitlines()[-1]


def test_region_and_year_overrides_and_table_format() -> None:
    code, out, _ = _run(["extract", "--format", "table", "--year", "2030", "--region", "黔江区",
                         str(FIXTURES / "qj2023_q1q3_body.txt")])  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == "# qj2023_q1q3_body.txt: 黔江区 2030 Q1-Q3"
    assert any(line.startswith("gdp ") and "198.4" in line for line in out.splitlines())


def test_rejections_reported_on_stderr() -> None:
    _, _, err = _run(["extract", str(FIXTURES / "damaged_numbers.txt")])
    assert err.count("rejected: damaged_numbers.txt:p") == 4
    assert "rejected: 4" in err.splitlines()[-1]


def test_console_entry_point_dispatches(capsys) -> None:
    assert main(["extract", str(FIXTURES / "trap_structure_ratio.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    ratio = json.loads(lines[0])
    assert ratio["value"] is None and ratio["label_zh"] == "三次产业结构比"


def test_figures_frame_columns_and_rows() -> None:
    results = [extract_file(FIXTURES / "qj2021_gbk.txt"), extract_file(FIXTURES / "county_wanyuan.txt")]
    frame = figures_frame(results)
    assert list(frame.columns) == [
        "region_code", "region_zh", "year", "period", "metric_key", "label_zh", "value", "unit", "raw_value_text",
        "raw_unit", "growth_pct", "growth_basis", "document_id", "locator", "excerpt",
    ]  # fmt: skip
    assert len(frame) == sum(len(r.figures) for r in results)
    gdp = frame[(frame.metric_key == "gdp")].set_index("region_code")
    assert gdp.loc["500114", "value"] == 247.6
    assert gdp.loc["500240", "value"] == 231.865
    assert gdp.loc["500240", "raw_value_text"] == "2318650" and gdp.loc["500240", "raw_unit"] == "万元"
    assert figures_frame([]).empty and isinstance(figures_frame([]), pd.DataFrame)
