"""What real bulletin pages do that the project's own corpora did not (issue 13), one invented page per kind:
text run together without line breaks, the region's own word or a verb or a scope note in the label, a caption
run into the next sentence, romanisation after characters, Traditional characters, a publication date by the
title, a region named only by the bureau or the quoted title, values in 万元/人, 下降 x%, a table read as rows.
All figures are made up."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from ingest.bulletins import extract_file
from ingest.bulletins.cli import run
from ingest.bulletins.region import Named, detect_region, generic_region, last_unit
from tests.bulletins.helpers import mapped


def _read(tmp_path: Path, text: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def _values(result) -> dict[str, float | None]:
    return {key: figures[0].value for key, figures in mapped(result.figures).items()}


RUN_ON = (
    "首页 > 统计数据 > 统计公报 2023年青石县国民经济和社会发展统计公报 (2024年4月30日) 2023年,全县上下坚持稳中求进,"
    "经济运行总体平稳,发展质量稳步提升,民生保障持续加强,社会大局和谐稳定。一、综合 初步核算,全县地区生产总值123.45亿元,"
    "按可比价格计算,比上年增长5.1%。其中,第一产业实现增加值20.11亿元,增长3.2%;第二产业完成增加值40.22亿元,下降1.5%;"
    "第三产业增加值63.12亿元,增长6.0%。二、人口年末全县常住人口30.12万人,城镇化率45.6%。图2 三次产业比重 全年全县"
    "居民人均可支配收入25012元,增长6.1%。三、农业全年粮食总产量20.5万吨。"
)


def test_a_page_run_together_reads_like_one_with_line_breaks(tmp_path: Path) -> None:
    result = _read(tmp_path, RUN_ON)
    assert (result.region_zh, result.year, result.period) == ("青石县", 2023, "annual")
    assert _values(result) == {
        "gdp": 123.45,
        "gdp_growth": 5.1,
        "va_primary": 20.11,  # 第一产业实现增加值: the verb between label and value
        "va_primary_growth": 3.2,
        "va_secondary": 40.22,
        "va_secondary_growth": -1.5,  # 下降1.5%
        "va_tertiary": 63.12,
        "va_tertiary_growth": 6.0,
        "population_resident": 30.12,  # 二、人口年末全县常住人口: a heading run into the label
        "urbanization_rate": 45.6,
        "disposable_income": 25012.0,  # after the caption 图2 三次产业比重
        "disposable_income_growth": 6.1,
        "grain_output": 20.5,  # 三、农业全年粮食总产量
    }


def test_a_heading_or_caption_run_into_a_label_without_any_space(tmp_path: Path) -> None:
    text = (
        "2022年白沙县国民经济和社会发展统计公报\n"
        "一、综合地区生产总值88.8亿元,增长4.0%。图1三次产业结构年末全县常住人口12.34万人。\n"
        "二、人口城镇常住人口6.5万人。"
    )
    result = _read(tmp_path, text)
    values = _values(result)
    assert values["gdp"] == 88.8
    assert values["population_resident"] == 12.34
    # 城镇常住人口 is not the resident population: a heading never swallows the words that qualify a label
    assert [f.value for f in result.figures if f.metric_key == "population_resident"] == [12.34]


def test_the_regions_own_word_scope_note_and_units(tmp_path: Path) -> None:
    text = (
        "2021年红河谷州国民经济和社会发展统计公报\n"
        "一、综合\n"
        "全州(不含高新技术产业开发区)地区生产总值5432100万元,比上年下降2.5%。"
        "全州常住人口1234567人。市(州)社会消费品零售总额210.5亿元,增长3.0%。全省地区生产总值9999亿元。"
    )
    result = _read(tmp_path, text)
    assert (result.region_zh, result.year) == ("红河谷州", 2021)
    values = _values(result)
    assert values["gdp"] == 543.21  # 万元 → 亿元, the scope note is not a sub-area
    assert values["gdp_growth"] == -2.5
    assert values["population_resident"] == 123.4567  # 人 → 万人
    assert values["retail_sales"] == 210.5
    # 全省 is the province's figure, not the prefecture's: it stays unmapped
    assert not any(f.metric_key and f.value == 9999 for f in result.figures)


def test_romanisation_and_traditional_characters(tmp_path: Path) -> None:
    text = (
        "2020年綠水縣國民經濟和社會發展統計公報\n"
        "初步核算,全縣地區(qū)生產(chǎn)總值(zhí)156.7億元,比上年增長(zhǎng)3.3%。"
        "年末全縣常(chang)(chang)住(zhu)人口(kou)28.6萬人。"
    )
    result = _read(tmp_path, text)
    assert (result.region_zh, result.year) == ("绿水县", 2020)
    assert _values(result) == {"gdp": 156.7, "gdp_growth": 3.3, "population_resident": 28.6}


def test_the_year_is_never_read_from_a_publication_date(tmp_path: Path) -> None:
    no_year_title = (
        "松林县国民经济和社会发展统计公报\n(2024年4月30日)\n2023年,全县经济运行稳中向好。\n全年地区生产总值77.7亿元。"
    )
    result = _read(tmp_path, no_year_title)
    assert (result.region_zh, result.year) == ("松林县", 2023)
    breadcrumb = (
        "当前位置:首页 > 2024年新版网站 > 统计公报\n松林县2022年国民经济和社会发展统计公报\n"
        "发布时间:2023-05-06\n全年地区生产总值70.1亿元。"
    )
    assert _read(tmp_path, breadcrumb, "b.txt").year == 2022


def test_without_a_stated_year_the_file_asks_for_one(tmp_path: Path) -> None:
    text = "松林县国民经济和社会发展统计公报\n(2024年4月30日)\n全县经济运行稳中向好。\n全年地区生产总值77.7亿元。"
    result = _read(tmp_path, text)
    assert result.year is None  # a wrong year is worse than none: the pipeline quarantines the file
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(
        files=[str(tmp_path / "page.txt")], format="jsonl", region=None, year=None, mapped_only=False
    )
    assert run(args, out, err) == 0
    assert "--year" in err.getvalue()


def test_region_from_the_signing_bureau_or_a_quoted_title(tmp_path: Path) -> None:
    bureau = "梅岭市统计局\n2021年3月25日\n2020年,全市经济稳定恢复。\n全年全市地区生产总值1234.5亿元,增长3.1%。"
    result = _read(tmp_path, bureau)
    assert (result.region_zh, result.year) == ("梅岭市", 2020)
    assert _values(result)["gdp"] == 1234.5
    quoted = "3月20日,某省统计局发布了《2022年湖南省国民经济和社会发展统计公报》。全省地区生产总值48670亿元。"
    result = _read(tmp_path, quoted, "q.txt")
    assert (result.region_zh, result.year) == ("湖南省", 2022)
    assert _values(result)["gdp"] == 48670


def test_generic_region_rule() -> None:
    assert generic_region("湖南省怀化市靖州苗族侗族自治县2023年国民经济和社会发展统计公报") == "靖州苗族侗族自治县"
    assert generic_region("2023年恩施土家族苗族自治州国民经济和社会发展统计公报") == "恩施土家族苗族自治州"
    assert generic_region("专题2021年河南省国民经济和社会发展统计公报") == "河南省"
    assert generic_region("2024年安徽省蚌埠市人民政府国民经济和社会发展统计公报") == "蚌埠市"
    assert last_unit("大兴安岭地区") == "大兴安岭地区"
    assert detect_region("2023年黔江区国民经济和社会发展统计公报") == Named("黔江区", "500114")
    assert generic_region("全省国民经济和社会发展统计公报") is None


def test_a_table_of_indicators_is_read_as_rows(tmp_path: Path) -> None:
    text = (
        "2023年青石县国民经济和社会发展统计公报\n"
        "指标 | 单位 | 绝对数 | 比上年增长%\n"
        "地区生产总值 | 万元 | 1234500 | 5.1\n"
        "第一产业 | 万元 | 201100 | -0.4\n"
        "常住人口 | 人 | 301200 | \n"
    )
    values = _values(_read(tmp_path, text))
    assert values["gdp"] == 123.45
    assert values["gdp_growth"] == 5.1
    assert values["va_primary"] == 20.11
    assert values["va_primary_growth"] == -0.4
    assert values["population_resident"] == 30.12


def test_breakdowns_as_real_pages_write_them(tmp_path: Path) -> None:
    text = (
        "2021年白沙县国民经济和社会发展统计公报\n"
        "一、综合\n"
        "初步核算,全县实现生产总值212.5亿元,比上年增长1.3%。\n"
        "分产业看,第一产业增加值52.1亿元,增长4.8%;第二产业增加值59.9亿元,下降2.2%,其中,工业增加值40.2亿元,"
        "增长3.0%;第三产业增加值100.5亿元,增长1.4%。\n"
        "二、收入\n"
        "人口年末常住人口30.5万人。全县居民人均可支配收入2.15万元。城镇居民人均可支配收入31000元,"
        "农村居民人均可支配收入15000元,分别增长5.5%、7.5%。"
    )
    values = _values(_read(tmp_path, text))
    assert values["gdp"] == 212.5
    # a paragraph opening with 分产业看 breaks down the total the paragraph before ended on
    assert (values["va_primary"], values["va_primary_growth"]) == (52.1, 4.8)
    assert values["va_secondary_growth"] == -2.2
    # 其中 of the second industry ends with its ;-part: the third industry is the region's again
    assert (values["va_tertiary"], values["va_tertiary_growth"]) == (100.5, 1.4)
    assert values["population_resident"] == 30.5  # a heading without its number: 人口年末常住人口
    assert values["disposable_income"] == 21500  # 万元 → 元
    # 分别增长 after levels said one by one
    assert (values["urban_disposable_income_growth"], values["rural_disposable_income_growth"]) == (5.5, 7.5)


def test_an_unsure_figure_stays_unmapped_with_its_reason(tmp_path: Path) -> None:
    text = (
        "2023年青石县国民经济和社会发展统计公报\n"
        "全年全县地区生产总值123.45亿元。其中,经开区地区生产总值40.1亿元。全县地区生产总值约123亿元。"
    )
    result = _read(tmp_path, text)
    notes = {f.value: f.note for f in result.figures if f.metric_key is None}
    assert _values(result) == {"gdp": 123.45}
    assert "sub-area" in notes[40.1]
    assert "another value" in notes[123.0]


def test_the_year_from_table_captions_when_they_agree(tmp_path: Path) -> None:
    body = "初步核算,全年完成地区生产总值95.4亿元,比上年增长7.7%。\n"
    one = body + "2022年全县地区生产总值及其增长速度\n指标 | 绝对数 | 比上年增长%\n地区生产总值 | 95.4 | 7.7\n"
    assert _read(tmp_path, one, "one.txt").year == 2022
    two = one + "表2 2021年全县常住人口及其构成\n"
    assert _read(tmp_path, two, "two.txt").year is None  # captions that disagree give no year
    ranged = body + "图1 2018-2022年地区生产总值及其增长速度\n"
    assert _read(tmp_path, ranged, "ranged.txt").year is None


def test_a_table_flattened_into_the_text_and_我省(tmp_path: Path) -> None:
    text = (
        "2022年青山省国民经济和社会发展统计公报\n"
        "2022年,我省地区生产总值3207.4亿元,增长4.7%。\n"
        "表1 分产业地区生产总值指标绝对量(亿元)地区生产总值3207.4 4.7第一产业8.43 2.3年末全省常住人口454.8万人。"
    )
    values = _values(_read(tmp_path, text))
    assert (values["gdp"], values["gdp_growth"]) == (3207.4, 4.7)
    assert values["population_resident"] == 454.8


def test_own_word_without_a_region_per_capita_wordings_and_a_census_revision(tmp_path: Path) -> None:
    text = (
        "2024年,全盟经济运行稳中有进。\n"
        "年末全盟常住人口26.9万人。全年每人平均地区生产总值71139元。按常住人口计算,人均GDp达71139元。\n"
        "2023年第五次全国经济普查修订结果:全盟生产总值196.80亿元,其中第一产业增加值50.24亿元。\n"
        "全年全盟地区生产总值206.8亿元,增长6.2%。"
    )
    result = _read(tmp_path, text)
    assert (result.region_zh, result.year) == (None, 2024)  # the page names no region: the file asks for one
    values = _values(result)
    assert values["population_resident"] == 26.9  # 全盟, the text's own word, read as the region's
    assert values["gdp_per_capita"] == 71139
    assert values["gdp"] == 206.8
    previous = {(f.metric_key, f.year): f.value for f in result.figures if f.kind == "previous" and f.metric_key}
    assert previous == {("gdp", 2023): 196.8, ("va_primary", 2023): 50.24}  # a census revision of 2023


def test_per_capita_in_wan_yuan_per_person_and_a_final_figure_of_the_year_before(tmp_path: Path) -> None:
    text = (
        "2023年青石县国民经济和社会发展统计公报\n"
        "全县人均生产总值15.89万元/人。常住居民人均可支配收入3.1万元/人。\n"
        "最终计算2022年全县生产总值现价总量为972846万元。"
    )
    result = _read(tmp_path, text)
    values = _values(result)
    assert values["gdp_per_capita"] == 158900
    assert values["disposable_income"] == 31000
    previous = {(f.metric_key, f.year): f.value for f in result.figures if f.kind == "previous" and f.metric_key}
    assert previous == {("gdp", 2022): 97.2846}


def test_total_budget_revenue_is_not_the_local_general_budget_revenue(tmp_path: Path) -> None:
    text = (
        "2022年青石县国民经济和社会发展统计公报\n"
        "全年实现一般公共预算总收入15.02亿元,同比下降4.1%。其中:地方一般公共预算收入12.16亿元,增长10.4%。"
    )
    values = _values(_read(tmp_path, text))
    assert (values["public_budget_revenue"], values["public_budget_revenue_growth"]) == (12.16, 10.4)
