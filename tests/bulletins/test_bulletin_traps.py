"""One test per known trap of bulletin phrasing, on short documents (the fixture corpus covers them again
in context). Each asserts what maps, to which key and value, and that the look-alike stays unmapped."""

from __future__ import annotations

from ingest.bulletins import BulletinFigure, extract_paragraphs

TITLE = "2023年黔江区国民经济和社会发展统计公报"


def read(*paragraphs: str, title: str = TITLE) -> list[BulletinFigure]:
    return extract_paragraphs([title, *paragraphs], "t").figures


def keyed(figures: list[BulletinFigure]) -> dict[str, float | None]:
    """Mapped figures of the statistical year (previous-year values carry a key too, as kind `previous`)."""
    return {f.metric_key: f.value for f in figures if f.metric_key and f.kind != "previous"}


def labelled(figures: list[BulletinFigure], label: str) -> list[BulletinFigure]:
    return [f for f in figures if f.label_zh == label]


def test_registered_vs_resident_population_and_urbanisation() -> None:
    figures = read("年末户籍人口54.86万人,其中城镇人口23.92万人,户籍人口城镇化率43.6%。"
                   "年末常住人口48.62万人,常住人口城镇化率52.88%。")  # fmt: skip
    assert keyed(figures) == {"population_registered": 54.86, "urbanization_rate_registered": 43.6,
                              "population_resident": 48.62, "urbanization_rate": 52.88}  # fmt: skip
    # a bare 城镇化率 follows the topic said before it, across sentences
    assert keyed(read("年末户籍人口54.86万人。其中,城镇人口23.92万人,城镇化率43.6%。")) == {
        "population_registered": 54.86, "urbanization_rate_registered": 43.6}  # fmt: skip
    assert keyed(read("年末常住人口48.62万人,城镇化率52.88%。")) == {
        "population_resident": 48.62, "urbanization_rate": 52.88}  # fmt: skip


def test_sub_area_figures_do_not_take_the_region_key() -> None:
    figures = read(
        "全区一般公共预算收入22.46亿元,其中区本级一般公共预算收入12.05亿元。",
        "经开区实现地区生产总值60.2亿元。阿蓬江镇接待游客88万人次,旅游综合收入3.1亿元。",
        "城东街道年末常住人口6.2万人。",
    )
    assert keyed(figures) == {"public_budget_revenue": 22.46}
    assert {f.label_zh for f in figures if not f.metric_key} >= {"区本级一般公共预算收入", "经开区地区生产总值"}


def test_parent_region_figures_do_not_map() -> None:
    figures = read("全市地区生产总值30145亿元,增长6.1%。全国居民人均可支配收入39218元。")
    assert keyed(figures) == {}


def test_private_economy_components_are_not_value_added_by_sector() -> None:
    figures = read("全年民营经济实现增加值131.6亿元,增长4.6%,占全区地区生产总值的49.0%。"
                   "其中,第一产业增加值15.2亿元;第二产业增加值52.3亿元;第三产业增加值64.1亿元。")  # fmt: skip
    assert keyed(figures) == {"private_va": 131.6, "private_va_growth": 4.6}
    assert [f.value for f in labelled(figures, "第一产业增加值")] == [15.2]  # kept, unmapped


def test_previous_year_values_are_not_this_years() -> None:
    figures = read("常住人口城镇化率由上年的51.92%提高到52.88%。年末常住人口48.62万人(上年为48.41万人)。"
                   "三次产业结构由上年的13.5:33.9:52.6调整为13.1:33.7:53.2。")  # fmt: skip
    assert keyed(figures) == {"urbanization_rate": 52.88, "population_resident": 48.62}
    previous = [f for f in figures if f.kind == "previous"]
    assert sorted(f.value for f in previous if f.value is not None) == [48.41, 51.92]
    # each keeps the key it had in its own year, with that year
    assert {(f.metric_key, f.year, f.value) for f in previous if f.value is not None} == {
        ("urbanization_rate", 2022, 51.92), ("population_resident", 2022, 48.41)}  # fmt: skip
    assert [f.raw_value_text for f in figures if f.kind == "ratio"] == ["13.1:33.7:53.2"]


def test_contribution_and_pull_are_not_growth() -> None:
    figures = read("第三产业增加值142.75亿元,增长4.9%,对经济增长的贡献率为48.6%,拉动经济增长2.5个百分点;"
                   "第二产业拉动全区经济增长2.1%。")  # fmt: skip
    assert keyed(figures) == {"va_tertiary": 142.75, "va_tertiary_growth": 4.9}
    assert next(f for f in figures if f.metric_key == "va_tertiary").growth_pct == 4.9


def test_absolute_increase_is_not_percent_growth() -> None:
    figures = read("全年全体居民人均可支配收入29418元,比上年增加2279元。")
    assert keyed(figures) == {"disposable_income": 29418}
    income = next(f for f in figures if f.metric_key == "disposable_income")
    assert income.growth_pct is None
    change = next(f for f in figures if f.kind == "change")
    assert (change.value, change.unit, change.metric_key) == (2279, "元", None)


def test_scope_notes_are_not_figures_and_do_not_break_labels() -> None:
    figures = read("规模以上工业(年主营业务收入2000万元及以上的工业法人单位,下同)增加值比上年增长7.2%。",
                   "全区居民人均可支配收入(简称人均收入,下同)29418元。")  # fmt: skip
    assert keyed(figures) == {"industrial_va_above_scale_growth": 7.2, "disposable_income": 29418}
    assert all(f.raw_value_text != "2000" for f in figures)


def test_flattened_table_header_gives_units_and_columns() -> None:
    figures = read("指标 | 单位 | 2023年 | 2022年 | 比上年增长(%)",
                   "社会消费品零售总额 | 万元 | 1123700 | 1052200 | 6.8",
                   "城镇登记失业率 | % | 3.2 | 3.4 | —")  # fmt: skip
    assert keyed(figures) == {"retail_sales": 112.37, "retail_sales_growth": 6.8,
                              "urban_registered_unemployment_rate": 3.2}  # fmt: skip
    assert all(f.value not in (105.22, 1052200, 3.4) for f in figures)  # last year's column is not read


def test_figure_split_over_two_sentences() -> None:
    figures = read("全年实现地区生产总值268.35亿元。按可比价格计算,比上年增长5.2%。")
    gdp = next(f for f in figures if f.metric_key == "gdp")
    growth = next(f for f in figures if f.metric_key == "gdp_growth")
    assert (gdp.growth_pct, gdp.growth_basis, growth.value) == (5.2, "按可比价格计算", 5.2)
    assert growth.excerpt == "按可比价格计算,比上年增长5.2%。"


def test_half_year_report_worded_like_annual_is_h1() -> None:
    result = extract_paragraphs(
        ["2024年上半年黔江区经济运行情况", "全区实现地区生产总值136.82亿元,同比增长5.6%。"], "h1"
    )
    assert result.period == "H1" and result.year == 2024
    assert {f.period for f in result.figures} == {"H1"}
    for title, period in (("2024年一季度黔江区经济运行情况", "Q1"), ("2024年1-9月黔江区主要经济指标", "Q1-Q3"),
                          ("2024年前三季度黔江区经济运行情况", "Q1-Q3"), (TITLE, "annual")):  # fmt: skip
        assert extract_paragraphs([title, "全区实现地区生产总值136.82亿元。"], "x").period == period


def test_percentage_points_are_not_growth() -> None:
    figures = read("年末常住人口城镇化率52.88%,比上年末提高0.96个百分点。规模以上工业增加值增速回落1.3个百分点。")
    assert keyed(figures) == {"urbanization_rate": 52.88}
    pp = [f for f in figures if f.kind == "pp_change"]
    assert sorted(f.value for f in pp) == [-1.3, 0.96] and all(f.unit == "个百分点" for f in pp)


def test_structure_ratio_stays_text() -> None:
    (ratio,) = read("三次产业结构比为13.1∶33.7∶53.2。")
    assert (ratio.metric_key, ratio.value, ratio.raw_value_text, ratio.label_zh) == (
        None, None, "13.1:33.7:53.2", "三次产业结构比")  # fmt: skip


def test_decline_is_negative_and_growth_basis_kept() -> None:
    figures = read("全年固定资产投资比上年下降3.5%。全年社会消费品零售总额112.37亿元,同比增长6.8%。")
    assert keyed(figures) == {"fixed_asset_investment_growth": -3.5, "retail_sales": 112.37,
                              "retail_sales_growth": 6.8}  # fmt: skip
    retail = next(f for f in figures if f.metric_key == "retail_sales")
    assert (retail.growth_pct, retail.growth_basis) == (6.8, "同比增长")
    assert next(f for f in figures if f.metric_key == "fixed_asset_investment_growth").growth_basis == "比上年下降"


def test_growth_over_another_base_or_average_is_not_annual_growth() -> None:
    figures = read("规模以上工业增加值增长7.2%,比2020年增长25.1%,两年平均增长6.4%。")
    assert keyed(figures) == {"industrial_va_above_scale_growth": 7.2}


def test_elderly_and_welfare_beds_are_not_hospital_beds() -> None:
    figures = read("年末全区医疗卫生机构612个,床位4105张。年末养老机构32个,床位1860张。")
    assert keyed(figures) == {"hospital_beds": 4105}


def test_damaged_number_rejected_not_guessed() -> None:
    result = extract_paragraphs(
        [TITLE, "全年实现地区生产总值26?.35亿元,比上年增长5.2%。年末常住人口4\ufffd.62万人。"], "d"
    )
    assert keyed(result.figures) == {"gdp_growth": 5.2}
    assert [r.locator for r in result.rejections] == ["d:p2:s1:c10-18", "d:p2:s2:c35-42"]
    assert all("encoding" in r.reason for r in result.rejections)


def test_per_capita_in_wan_yuan_converts_to_yuan() -> None:
    assert keyed(read("全年人均地区生产总值5.52万元。")) == {"gdp_per_capita": 55200}


def test_definition_in_brackets_does_not_hide_the_rate() -> None:
    figures = read("常住人口城镇化率(城镇常住人口占总常住人口比重)为50.67%,比上年提高1.57个百分点。")
    assert keyed(figures) == {"urbanization_rate": 50.67}


def test_year_columns_take_the_statistical_year() -> None:
    rows = ["指标 | 2021年 | 2022年 | 2023年", "地区生产总值(亿元) | 247.6 | 254.18 | 268.35"]
    assert keyed(read(*rows)) == {"gdp": 268.35}
    untitled = extract_paragraphs(["黔江区主要经济指标", *rows], "u")  # no year in the title: the latest column
    assert keyed(untitled.figures) == {"gdp": 268.35}


def test_rounded_statement_gives_way_to_the_exact_figure() -> None:
    figures = read("全年全区地区生产总值突破260亿元,经济实力持续增强。", "全年实现地区生产总值268.35亿元,增长5.2%。")
    assert keyed(figures)["gdp"] == 268.35
    assert [f.metric_key for f in figures if f.raw_value_text == "260"] == [None]
    # alone, a rounded figure is still the only statement of the key
    assert keyed(read("全年城镇新增就业7000余人。"))["new_urban_jobs"] == 0.7


def test_rate_named_in_brackets_after_a_share() -> None:
    figures = read("年末常住人口118.56万人,其中,城镇人口63.24万人,占常住人口比重(常住人口城镇化率)为53.34%。")
    assert keyed(figures) == {"population_resident": 118.56, "urbanization_rate": 53.34}


def test_breakdown_of_a_total_given_only_by_its_growth() -> None:
    figures = read("初步核算,全年地区生产总值比上年增长6.5%。按产业分,第一产业增加值增长4.1%,第二产业增加值增长7.9%。")
    assert keyed(figures) == {"gdp_growth": 6.5, "va_primary_growth": 4.1, "va_secondary_growth": 7.9}


def test_asterisk_and_average_wording() -> None:
    figures = read("城镇新增就业人员4.20*万人。全年城镇调查失业率平均为5.4%。")
    assert keyed(figures) == {"new_urban_jobs": 4.2, "urban_surveyed_unemployment_rate": 5.4}
