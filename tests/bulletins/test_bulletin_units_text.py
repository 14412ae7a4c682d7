"""The small pure parts: normalisation, sentences and locators, units and conversion, the alias table."""

from __future__ import annotations

from decimal import Decimal

import yaml

from ingest.bulletins.aliases import DEFAULT_ALIAS_FILE, load_aliases
from ingest.bulletins.normalize import normalise_paragraph
from ingest.bulletins.segment import split_sentences
from ingest.bulletins.units import convert, to_float

REQUIRED_KEYS = {
    "gdp", "gdp_growth", "va_primary", "va_secondary", "va_tertiary", "va_primary_growth", "va_secondary_growth",
    "va_tertiary_growth", "gdp_per_capita", "population_resident", "population_registered", "urbanization_rate",
    "private_va", "gdp_per_capita_growth", "private_va_growth", "urbanization_rate_registered",
    "disposable_income", "disposable_income_growth", "urban_disposable_income", "urban_disposable_income_growth",
    "rural_disposable_income", "rural_disposable_income_growth", "retail_sales", "retail_sales_growth",
    "fixed_asset_investment_growth", "public_budget_revenue", "public_budget_revenue_growth",
    "industrial_va_above_scale_growth", "industrial_output_above_scale", "imports_exports", "fdi_actual",
    "licensed_doctors", "hospital_beds", "air_quality_good_days", "forest_coverage", "grain_output",
    "invention_patents_per_10k", "urban_surveyed_unemployment_rate", "urban_registered_unemployment_rate",
    "new_urban_jobs", "tourist_visits", "tourism_revenue",
}  # fmt: skip


def test_nfkc_and_traditional_to_simplified() -> None:
    assert normalise_paragraph("全年實現地區生產總值２４５．２億元，增長３．９％。") == (
        "全年实现地区生产总值245.2亿元,增长3.9%。"
    )


def test_footnote_marks_removed_between_label_and_number() -> None:
    for raw in ("地区生产总值【1】245.2亿元", "地区生产总值[2]245.2亿元", "地区生产总值（注1）245.2亿元",
                "地区生产总值①245.2亿元", "地区生产总值¹245.2亿元", "地区生产总值［注3］245.2亿元"):  # fmt: skip
        assert normalise_paragraph(raw) == "地区生产总值245.2亿元", raw


def test_numbers_rejoined_and_ratio_colons_unified() -> None:
    assert normalise_paragraph("总产值1 234.5亿元，人口12,345人") == "总产值1234.5亿元,人口12345人"
    assert normalise_paragraph("结构比为13.1∶35.2∶51.7") == "结构比为13.1:35.2:51.7"
    assert normalise_paragraph("增长 3.9 %") == "增长3.9%"
    # a year list is not a thousands group
    assert normalise_paragraph("2022,2023年") == "2022,2023年"


def test_table_rows_keep_their_cells() -> None:
    assert normalise_paragraph("| 指 标 | 绝对数(亿元) | 比上年增长(%) |") == "指标 | 绝对数(亿元) | 比上年增长(%)"


def test_sentences_and_offsets() -> None:
    paragraph = "全年实现地区生产总值245.2亿元。按可比价格计算,比上年增长3.9%;人均50769元!"
    sentences = split_sentences(paragraph, 7)
    assert [s.text for s in sentences] == [
        "全年实现地区生产总值245.2亿元。",
        "按可比价格计算,比上年增长3.9%;",
        "人均50769元!",
    ]
    assert [s.index for s in sentences] == [1, 2, 3]
    assert [s.group for s in sentences] == [1, 2, 2]  # `;` parts share their full-stop sentence
    assert all(paragraph[s.start : s.end] == s.text and s.paragraph == 7 for s in sentences)


def test_question_mark_inside_digits_does_not_split() -> None:
    assert len(split_sentences("地区生产总值24?.2亿元,增长3.9%。", 1)) == 1


def test_table_row_is_one_sentence() -> None:
    (sentence,) = split_sentences("地区生产总值 | 245.2 | 3.9", 3)
    assert sentence.is_table_row and sentence.text == "地区生产总值 | 245.2 | 3.9"


def test_unit_conversions_exact() -> None:
    cases = [
        ("244394", "万元", "亿元", 24.4394),
        ("5.1", "万元", "元", 51000.0),
        ("6235", "人", "万人", 0.6235),
        ("1500", "万美元", "亿美元", 0.15),
        ("46695", "吨", "万吨", 4.6695),
        ("1.58", "万人", "人", 15800.0),
        ("3.49", "万张", "张", 34900.0),
        ("0.29", "亿人次", "万人次", 2900.0),
        ("1500", "余万元", "亿元", 0.15),
    ]
    for value, unit, target, want in cases:
        assert to_float(convert(Decimal(value), unit, target)) == want, (value, unit, target)
    assert convert(Decimal("5"), "%", "亿元") is None
    assert convert(Decimal("5"), "万美元", "亿元") is None  # no exchange rates: never silently mixed
    assert to_float(convert(Decimal("380.52"), "万人", "万人次", {"人": "人次"})) == 380.52


def test_alias_file_has_a_header_and_every_required_key() -> None:
    text = DEFAULT_ALIAS_FILE.read_text(encoding="utf-8")
    assert text.startswith("# Alias table")
    data = yaml.safe_load(text)
    keys = {m.get("key") for m in data["metrics"]} | {m.get("growth_key") for m in data["metrics"]}
    assert keys >= REQUIRED_KEYS
    table = load_aliases()
    assert table.region_code("黔江区") == "500114"
    assert table.region_code("重庆市黔江区") == "500114"
    assert table.region_code("不存在县") is None
