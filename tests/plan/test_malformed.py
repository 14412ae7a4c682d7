"""Bad plan documents fail with an error that names the file, the line and the cell, never a silent default."""

import pytest

from ingest.plan_tables import Region, parse_tables
from planwatch_core.errors import InputError

REGION = Region("500114", "qianjiang", "黔江区")
HEADER = "\t序号\n\t指标名称（单位）\n\t2020年\n\t2025年\n\t属性\n"


def _document(*rows: str, header: str = HEADER) -> str:
    body = "\n".join(rows)
    return (
        f"规划正文\n\t专栏2：“十四五”经济社会发展主要指标\n\n{header}\n{body}\n\t备注：带【】为五年累计数。\n正文继续\n"
    )


GOOD_ROW = "\t1\n\t地区生产总值年均增速（%）\n\t3.9\n\t7△\n\t预期性\n"


def test_good_document_parses():
    rows = parse_tables(_document(GOOD_ROW), "good.txt", REGION)
    assert [(r.seq, r.target.text) for r in rows] == [(1, "7△")]


def test_row_with_a_missing_cell():
    document = _document(GOOD_ROW, "\t2\n\t人均地区生产总值（万元）\n\t5\n\t预期性\n")
    with pytest.raises(InputError) as caught:
        parse_tables(document, "missing.txt", REGION)
    error = caught.value
    assert error.file == "missing.txt"
    assert error.place == "line 16"  # the row starts on line 16
    assert "4 cells" in error.reason and "header has 5" in error.reason
    assert "人均地区生产总值（万元）" in str(error)


def test_unknown_notation_names_line_and_cell():
    document = _document(GOOD_ROW, "\t2\n\t人均地区生产总值（万元）\n\t5\n\t约6.7\n\t预期性\n")
    with pytest.raises(InputError) as caught:
        parse_tables(document, "notation.txt", REGION)
    error = caught.value
    assert error.file == "notation.txt"
    assert error.place == "line 19"  # the target cell's own line
    assert "'约6.7'" in error.reason and "unknown notation" in error.reason


def test_unknown_attribute():
    document = _document("\t1\n\t地区生产总值年均增速（%）\n\t3.9\n\t7△\n\t指导性\n")
    with pytest.raises(InputError, match="指导性"):
        parse_tables(document, "attr.txt", REGION)


def test_table_without_header():
    document = _document(GOOD_ROW, header="")
    with pytest.raises(InputError) as caught:
        parse_tables(document, "noheader.txt", REGION)
    assert caught.value.file == "noheader.txt"
    assert "no header row" in caught.value.reason
    assert caught.value.place == "line 5"


def test_header_with_unknown_column():
    header = HEADER.replace("\t属性", "\t责任单位")
    with pytest.raises(InputError, match="unknown column '责任单位'"):
        parse_tables(_document(GOOD_ROW, header=header), "header.txt", REGION)


def test_sub_row_without_parent():
    document = _document("\t\n\t#化学需氧量\n\t达标\n\t达标\n\t\n")
    with pytest.raises(InputError, match="no numbered row above"):
        parse_tables(document, "sub.txt", REGION)
