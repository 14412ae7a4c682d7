"""Published figures: each row mapped to a metric and converted to its unit, bad rows rejected with a reason."""

from pathlib import Path

import pytest

from ingest.figures import load_figure_names
from ingest.published import read_published
from planwatch_core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
NAMES = load_figure_names(REPO / "catalog" / "figure_names.yaml")
HEADER = "region_code,year,indicator_zh,value,unit,value_kind,note,source_kind,source_url\n"


def _read(body: str):
    return read_published((HEADER + body).encode("utf-8"), "figures.csv", NAMES)


def test_the_shipped_file_reads_completely():
    data = (REPO / "inbox" / "published" / "qianjiang_published_figures.csv").read_bytes()
    figures, rejections = read_published(data, "qianjiang_published_figures.csv", NAMES)
    assert rejections == []
    assert len(figures) == data.decode("utf-8").count("\n") - 1
    by_key = {(f["year"], f["metric_key"]): f for f in figures if f["metric_key"]}
    assert by_key[(2018, "gdp")]["value"] == 247.29
    assert by_key[(2024, "gdp_growth")]["value"] == 5.4
    # 8.4万元 (a 2025 estimate) becomes 84000元, keeps its kind and its source address
    per_capita = by_key[(2025, "gdp_per_capita")]
    assert (per_capita["value"], per_capita["unit"], per_capita["value_kind"]) == (84000.0, "元", "estimate")
    assert per_capita["source_url"].startswith("http")
    assert per_capita["source_locator"] == f"{per_capita['source_url']} (qianjiang_published_figures.csv:row 71)"
    # a structure stays text
    assert by_key[(2018, "industry_structure")]["value"] is None
    assert by_key[(2018, "industry_structure")]["value_text"] == "9.5:44:46.5"


def test_unmapped_names_are_kept_without_a_key():
    figures, _ = _read(
        "500114,2017,机场旅客吞吐量,28.8,万人次,reported,,news,https://example.org/a\n"
        "500114,2022,新增停车位,9900,个,lower_bound,,news,https://example.org/b\n"
    )
    assert [f["metric_key"] for f in figures] == ["airport_passengers", None]
    assert figures[1]["value"] == 9900.0 and figures[1]["excerpt"].startswith("2022年 新增停车位 9900个")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("500114,20x8,地区生产总值,247,亿元,reported,,bulletin,https://e.org", "year '20x8' is not a year"),
        ("500114,2018,地区生产总值,abc,亿元,reported,,bulletin,https://e.org", "value 'abc' is not a number"),
        ("500114,2018,地区生产总值,247,亿元,guess,,bulletin,https://e.org", "value_kind 'guess'"),
        ("500114,2018,地区生产总值,247,亿元,reported,,blog,https://e.org", "source_kind 'blog'"),
        ("500114,2018,地区生产总值,247,亿元,reported,,bulletin,", "every figure needs its source"),
        ("5001,2018,地区生产总值,247,亿元,reported,,bulletin,https://e.org", "not a 6-digit division code"),
        ("500114,2018,地区生产总值,247,%,reported,,bulletin,https://e.org", "does not convert to '亿元'"),
    ],
)
def test_bad_rows_are_rejected_with_their_row_and_reason(row, reason):
    figures, rejections = _read("500114,2018,常住人口,48.39,万人,reported,,bulletin,https://e.org\n" + row + "\n")
    assert len(figures) == 1  # the good row still lands
    (rejection,) = rejections
    assert rejection["place"] == "row 3"
    assert reason in rejection["reason"]


def test_a_file_without_the_columns_is_rejected_whole():
    with pytest.raises(InputError) as caught:
        read_published(b"year,value\n2018,1\n", "odd.csv", NAMES)
    assert caught.value.place == "header (row 1)"
    assert "missing columns region_code" in caught.value.reason


def test_the_peer_figures_file_reads_completely_with_its_places():
    data = (REPO / "inbox" / "published" / "yudongnan_published_figures.csv").read_bytes()
    figures, rejections = read_published(data, "yudongnan_published_figures.csv", NAMES)
    assert rejections == []
    assert len(figures) == data.decode("utf-8").count("\n") - 1
    by_key = {(f["region_code"], f["year"], f["metric_key"]): f for f in figures if f["metric_key"]}
    # 武隆区 2020: 2242104万元 becomes 224.2104亿元, the paragraph is kept in the locator
    wulong = by_key[("500156", 2020, "gdp")]
    assert (wulong["value"], wulong["unit"], wulong["raw_unit"]) == (224.2104, "亿元", "万元")
    assert wulong["source_locator"].endswith(" 一、综合 第1段 (yudongnan_published_figures.csv:row 2)")
    # 秀山县's census count 496194人 becomes 49.6194万人; 酉阳县's 2021 work-report figures stay estimates
    assert by_key[("500241", 2020, "population_resident")]["value"] == 49.6194
    assert by_key[("500242", 2021, "gdp")]["value_kind"] == "estimate"
    assert {f["region_code"] for f in figures} == {"500156", "500240", "500241", "500242"}


def test_the_place_column_is_optional_and_goes_into_the_locator():
    header = HEADER.rstrip("\n") + ",source_place\n"
    body = "500114,2018,常住人口,48.39,万人,reported,,bulletin,https://e.org/a,一、综合 第2段\n"
    body += "500114,2018,户籍人口,55.66,万人,reported,,bulletin,https://e.org/a,\n"
    figures, rejections = read_published((header + body).encode("utf-8"), "f.csv", NAMES)
    assert rejections == []
    assert [f["source_locator"] for f in figures] == [
        "https://e.org/a 一、综合 第2段 (f.csv:row 2)",
        "https://e.org/a (f.csv:row 3)",
    ]
