"""Department submissions: the template round trip, and every row-level rule of the importer."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from ingest.catalog import load_catalog
from ingest.submissions import (
    read_submission,
    read_submission_file,
    submission_indicators,
    write_template_csv,
    write_template_xlsx,
)
from ingest.themes import load_theme_rules
from planwatch_core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(
    REPO / "catalog" / "indicators.yaml", set(load_theme_rules(REPO / "catalog" / "themes.yaml").codes)
)
REGIONS = {"qianjiang": "500114"}


def test_template_lists_the_submitted_indicators_of_a_plan():
    indicators = submission_indicators(CATALOG, REGIONS, "qianjiang-14th")
    ids = [i.entry.indicator_id for i in indicators]
    assert "qianjiang-14th-13" in ids and "qianjiang-14th-21" in ids  # 受教育年限, 能耗 (达标)
    assert "qianjiang-14th-07" not in ids  # urbanisation comes from the bulletins
    assert all((i.first_year, i.last_year) == (2021, 2025) for i in indicators)


def test_xlsx_template_round_trip(tmp_path):
    indicators = submission_indicators(CATALOG, REGIONS, "qianjiang-14th")
    template = tmp_path / "template.xlsx"
    rows = write_template_xlsx(indicators, template)
    assert rows == len(indicators) * 5
    book = load_workbook(template)
    sheet = book["报送数据"]
    assert sheet["B1"].value == "指标编号(indicator_id)"
    verdict_lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert verdict_lists and '"达标,未达标"' in verdict_lists[0].formula1
    assert "填报说明" in book.sheetnames
    # a department fills three rows and leaves the rest empty
    filled = {("qianjiang-14th-13", 2022): 11.8, ("qianjiang-14th-14", 2023): 76.6, ("qianjiang-14th-21", 2023): "达标"}
    for row in sheet.iter_rows(min_row=2):
        key = (row[1].value, row[3].value)
        if key in filled:
            row[4].value = filled[key]
            row[6].value = "区统计局测试"
    book.save(template)
    values, rejections = read_submission_file(template, CATALOG, REGIONS)
    assert rejections == []
    got = {(v["indicator_id"], v["year"]): (v["value"], v["value_text"]) for v in values}
    assert got == {
        ("qianjiang-14th-13", 2022): (11.8, "11.8"),
        ("qianjiang-14th-14", 2023): (76.6, "76.6"),
        ("qianjiang-14th-21", 2023): (None, "达标"),
    }
    assert all(v["source_locator"].startswith("template.xlsx:row ") for v in values)


def test_csv_template_round_trip_in_gbk(tmp_path):
    indicators = submission_indicators(CATALOG, REGIONS, "qianjiang-14th")
    path = tmp_path / "t.csv"
    write_template_csv(indicators, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",,万元/人,,", ",9.1,万元/人,区统计局,")  # first row: 全员劳动生产率 2021
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("\n".join(lines).encode("gb18030"))  # saved by Excel on a Chinese Windows
    values, rejections = read_submission_file(gbk, CATALOG, REGIONS)
    assert rejections == [] and [(v["indicator_id"], v["year"], v["value"]) for v in values] == [
        ("qianjiang-14th-03", 2021, 9.1)
    ]


HEADER = "region_code,indicator_id,indicator_name,year,value,unit,source,note\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("500114,qianjiang-14th-99,?,2022,1,,局,", "unknown indicator 'qianjiang-14th-99'"),
        ("500114,qianjiang-14th-07,城镇化率,2022,55,%,局,", "is not submitted by departments"),
        ("500114,qianjiang-14th-13,年限,2022,11.8,岁,局,", "unit '岁' is wrong"),
        ("500114,qianjiang-14th-13,年限,2022,约12,年,局,", "value '约12' is not a number"),
        ("500114,qianjiang-14th-13,年限,2019,11.8,年,局,", "year 2019 is outside the plan (2021–2025)"),
        ("500114,qianjiang-14th-13,年限,2022,31,年,局,", "outside the plausible range 5–18"),
        ("500114,qianjiang-14th-13,年限,2022,11.8,年,,", "source) is empty"),
        ("500114,qianjiang-14th-21,能耗,2022,基本达标,,局,", "must be one of 达标/未达标"),
        ("500101,qianjiang-14th-13,年限,2022,11.8,年,局,", "is not the region of qianjiang-14th-13"),
    ],
)
def test_row_rules(row, reason):
    good = "500114,qianjiang-14th-14,寿命,2022,76.4,年,区卫生健康委,\n"
    values, rejections = read_submission((HEADER + good + row + "\n").encode(), "dept.csv", CATALOG, REGIONS)
    assert [v["indicator_id"] for v in values] == ["qianjiang-14th-14"]  # the good row lands
    (rejection,) = rejections
    assert rejection["place"] == "row 3" and reason in rejection["reason"]


def test_duplicate_rows_keep_the_first():
    body = "500114,qianjiang-14th-14,寿命,2022,76.4,年,局,\n500114,qianjiang-14th-14,寿命,2022,76.9,年,局,\n"
    values, rejections = read_submission((HEADER + body).encode(), "dup.csv", CATALOG, REGIONS)
    assert [v["value"] for v in values] == [76.4]
    assert rejections[0]["reason"] == "duplicate of row 2 (same indicator and year)"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("dept.xlsx", b"not a workbook", "not a readable .xlsx workbook"),
        ("dept.txt", b"x", "must be .xlsx or .csv"),
        ("dept.csv", b"a,b\n1,2\n", "missing columns region_code"),
        ("dept.csv", b"", "the file is empty"),
    ],
)
def test_unreadable_files_are_rejected_whole(name, data, reason):
    with pytest.raises(InputError) as caught:
        read_submission(data, name, CATALOG, REGIONS)
    assert reason in caught.value.reason and caught.value.file == name
