"""Regression tests for the ways real bulletins are written that the realistic corpus (tests/bulletins/realistic)
brought up, one per fix, and the corpus score itself."""

from __future__ import annotations

from pathlib import Path

from ingest.bulletins import BulletinFigure, extract_file, extract_paragraphs, normalised_paragraphs

TITLE = "2023年黔江区国民经济和社会发展统计公报"


def read(*paragraphs: str, title: str = TITLE) -> list[BulletinFigure]:
    return extract_paragraphs([title, *paragraphs], "t").figures


def keyed(figures: list[BulletinFigure]) -> dict[str, float | None]:
    return {f.metric_key: f.value for f in figures if f.metric_key and f.kind != "previous"}


# ---- 分别 lists ---------------------------------------------------------------------------------------------------


def test_list_members_share_a_head() -> None:
    assert keyed(read("粮食播种面积和总产量分别为52.4万亩和19.86万吨,分别增长0.4%和1.2%。")) == {"grain_output": 19.86}
    assert keyed(read("城镇调查失业率、登记失业率分别为5.3%、3.1%。")) == {
        "urban_surveyed_unemployment_rate": 5.3, "urban_registered_unemployment_rate": 3.1}  # fmt: skip
    assert keyed(read("规模以上工业增加值和总产值分别增长7.3%和8.1%。")) == {"industrial_va_above_scale_growth": 7.3}


def test_list_members_share_a_tail() -> None:
    figures = read("全体、城镇、农村常住居民人均可支配收入分别为24518元、38962元、15873元,分别增长6.1%、4.9%和6.8%。")
    assert keyed(figures) == {
        "disposable_income": 24518, "urban_disposable_income": 38962, "rural_disposable_income": 15873,
        "disposable_income_growth": 6.1, "urban_disposable_income_growth": 4.9, "rural_disposable_income_growth": 6.8,
    }  # fmt: skip
    assert keyed(read("第一、二、三产业增加值分别为52.63亿元、85.42亿元、153.32亿元。")) == {
        "va_primary": 52.63, "va_secondary": 85.42, "va_tertiary": 153.32}  # fmt: skip


def test_list_members_that_are_whole_labels_keep_their_words() -> None:
    # the last member is longer than the others, but "接待游客" is a label of its own (not 接待游客收入)
    assert keyed(read("全年接待游客和旅游综合收入分别为2135.6万人次和108.74亿元。")) == {
        "tourist_visits": 2135.6, "tourism_revenue": 108.74}  # fmt: skip
    assert keyed(read("社会消费品零售总额和进出口总额分别为102.36亿元和5.81亿元,分别增长3.2%和18.6%。")) == {
        "retail_sales": 102.36, "retail_sales_growth": 3.2, "imports_exports": 5.81}  # fmt: skip


def test_sub_area_in_a_later_member_scopes_that_member_only() -> None:
    assert keyed(read("森林覆盖率和城区空气质量优良天数分别为65.2%和348天。")) == {
        "forest_coverage": 65.2, "air_quality_good_days": 348}  # fmt: skip
    # named with the first member, the sub-area scopes the whole list
    assert keyed(read("濯水镇接待游客和旅游综合收入分别为310万人次和18.2亿元。")) == {}


# ---- region names -------------------------------------------------------------------------------------------------


def test_autonomous_county_named_by_its_short_name() -> None:
    title = "彭水苗族土家族自治县2020年国民经济和社会发展统计公报"
    figures = read("彭水县全年实现地区生产总值206.58亿元,比上年增长4.2%。", title=title)
    assert keyed(figures) == {"gdp": 206.58, "gdp_growth": 4.2}
    assert keyed(read("石柱县户籍人口54.72万人。", title="2018年石柱土家族自治县国民经济和社会发展统计公报")) == {
        "population_registered": 54.72}  # fmt: skip


# ---- HTML ---------------------------------------------------------------------------------------------------------


def test_html_layout_table_keeps_paragraphs_and_nested_data_table_rows(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>2020年彭水县统计公报</title></head><body>"
        "<table class='frame'><tr><td>首页 &gt; 统计公报</td></tr><tr><td>"
        "<h1>彭水苗族土家族自治县2020年国民经济和社会发展统计公报</h1>"
        "<p>一、综合</p><p>全年实现地区生产总值206.58亿元，比上年增长4.2%。其中：第一产业增加值38.12亿元，"
        "增长4.8%；第二产业增加值56.43亿元，增长4.9%；第三产业增加值112.03亿元，增长3.7%。</p>"
        "<table width='100%'><tr><td align='center'><table border='1'>"
        "<tr><td colspan='3'>表1 主要农产品产量</td></tr>"
        "<tr><td>产品名称</td><td>产量（万吨）</td><td>比上年增长（%）</td></tr>"
        "<tr><td><p>粮食</p></td><td><p>28.36</p></td><td>0.7</td></tr>"
        "<tr><td>油料</td><td>2.15</td><td>3.2</td></tr></table></td></tr></table>"
        "<p>全年生猪出栏52.36万头。</p></td></tr></table></body></html>",
        encoding="utf-8",
    )
    paragraphs = normalised_paragraphs(page)
    assert "产品名称 | 产量(万吨) | 比上年增长(%)" in paragraphs
    assert "粮食 | 28.36 | 0.7" in paragraphs
    assert "全年生猪出栏52.36万头。" in paragraphs
    assert not any("|" in p and "地区生产总值" in p for p in paragraphs)  # the frame is not a table row
    figures = extract_file(page).figures
    assert keyed(figures)["gdp"] == 206.58 and keyed(figures)["va_tertiary"] == 112.03


# ---- tables -------------------------------------------------------------------------------------------------------


def test_table_row_breaks_down_the_nearest_total_not_the_first_row() -> None:
    figures = read(
        "主要指标 | 单位 | 绝对数 | 比上年增长%",
        "常住人口 | 万人 | 64.83 | -0.2",
        "地区生产总值 | 亿元 | 584.26 | 3.1",
        "第一产业 | 亿元 | 82.15 | 4.2",
        "第二产业 | 亿元 | 236.71 | 3.5",
        "工业 | 亿元 | 180.2 | 4.1",
        "第三产业 | 亿元 | 265.40 | 2.6",
        "固定资产投资 | 亿元 | — | 6.3",
        "第一产业 | 亿元 | — | -12.3",
        "第二产业 | 亿元 | — | 18.6",
    )
    assert keyed(figures) == {
        "population_resident": 64.83, "gdp": 584.26, "gdp_growth": 3.1, "va_primary": 82.15, "va_primary_growth": 4.2,
        "va_secondary": 236.71, "va_secondary_growth": 3.5, "va_tertiary": 265.40, "va_tertiary_growth": 2.6,
        "fixed_asset_investment_growth": 6.3,
    }  # fmt: skip
    # investment by sector is kept, unmapped
    assert [f.value for f in figures if f.label_zh == "第一产业增速"] == [4.2, -12.3]


def test_table_row_with_growth_only() -> None:
    figures = read(
        "指标 | 单位 | 2023年 | 比上年增长(%)",
        "规模以上工业增加值 | 亿元 | — | 10.6",
        "城镇登记失业率 | % | — | 0.2",
        "社会消费品零售总额 | 亿元 | 18.75 | 9.6",
    )
    assert keyed(figures) == {"industrial_va_above_scale_growth": 10.6, "retail_sales": 18.75,
                              "retail_sales_growth": 9.6}  # fmt: skip


def test_table_written_one_cell_per_line_is_rebuilt(tmp_path: Path) -> None:
    lines = ["城口县2019年国民经济和社会发展统计公报", "一、综合", "表1 2019年地区生产总值", "指标", "绝对数（亿元）",
             "比上年增长（%）", "地区生产总值", "57.86", "6.8", "第一产业", "10.52", "5.1", "#工业", "9.87", "9.4",
             "第三产业", "31.21", "6.5", "年末全县常住人口19.63万人。"]  # fmt: skip
    path = tmp_path / "cells.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    paragraphs = normalised_paragraphs(path)
    assert paragraphs[3:8] == ["指标 | 绝对数(亿元) | 比上年增长(%)", "地区生产总值 | 57.86 | 6.8",
                               "第一产业 | 10.52 | 5.1", "#工业 | 9.87 | 9.4", "第三产业 | 31.21 | 6.5"]  # fmt: skip
    result = extract_file(path)
    assert keyed(result.figures) == {
        "gdp": 57.86, "gdp_growth": 6.8, "va_primary": 10.52, "va_primary_growth": 5.1, "va_tertiary": 31.21,
        "va_tertiary_growth": 6.5, "population_resident": 19.63}  # fmt: skip
    gdp = next(f for f in result.figures if f.metric_key == "gdp")
    assert gdp.locator == "cells.txt:p5:s1:c9-14" and gdp.excerpt == "地区生产总值 | 57.86 | 6.8"
    # a list of short lines that is not a table stays as it is
    plain = extract_paragraphs(["2019年城口县统计公报", "指标", "说明", "全年常住人口19.63万人。"], "x")
    assert [f.value for f in plain.figures] == [19.63]


def test_product_table_names_grain_by_its_crop() -> None:
    rows = ["表1 2020年主要农产品产量", "产品名称 | 产量(万吨) | 比上年增长(%)", "粮食 | 28.36 | 0.7",
            "油料 | 2.15 | 3.2"]  # fmt: skip
    assert keyed(read(*rows)) == {"grain_output": 28.36}
    assert keyed(read("主要农产品产量:粮食21.48万吨,增长0.8%;油料1.2万吨。")) == {"grain_output": 21.48}
    assert keyed(read("全年粮食收购量8.5万吨。", "表2 粮食 | 1.2万吨")) == {}


# ---- alias table ----------------------------------------------------------------------------------------------------


def test_older_and_county_wordings_of_beds_and_air_quality() -> None:
    figures = read("年末全县共有卫生机构486个,医院、卫生院床位3256张。全年县城空气质量优良天数达312天。")
    assert keyed(figures) == {"hospital_beds": 3256, "air_quality_good_days": 312}
    # a breakdown by kind of institution is not the total
    assert keyed(read("医疗卫生机构实有床位4836张,其中医院床位3925张。")) == {"hospital_beds": 4836}


def test_farming_value_added_with_its_services_is_not_the_primary_sector() -> None:
    assert keyed(read("全年农林牧渔业及其服务业增加值38.5亿元,增长4.1%。")) == {}


# ---- two statements of one key ---------------------------------------------------------------------------------------


def test_section_figure_beats_the_preamble_summary() -> None:
    figures = read(
        "2024年,全区地区生产总值迈上700亿元台阶,达到712.4亿元,增长6.2%;全体居民人均可支配收入3.36万元。",
        "一、综合",
        "初步核算,全年实现地区生产总值712.36亿元,比上年增长6.2%。全年全体居民人均可支配收入33618元,增长6.0%。",
        title="2024年开州区国民经济和社会发展统计公报",
    )
    assert keyed(figures) == {"gdp": 712.36, "gdp_growth": 6.2, "disposable_income": 33618,
                              "disposable_income_growth": 6.0}  # fmt: skip
    gdp = next(f for f in figures if f.metric_key == "gdp")
    assert gdp.locator.startswith("t:p4:")  # the figure of section 一、综合
    # the summary's figures are kept, unmapped
    summary = [f for f in figures if f.locator.startswith("t:p2:") and f.kind == "level"]
    assert [(f.raw_value_text, f.metric_key) for f in summary] == [("700", None), ("712.4", None), ("3.36", None)]


def test_notes_do_not_override_the_body_and_same_rank_prefers_the_precise_figure() -> None:
    figures = read(
        "一、综合",
        "全年社会消费品零售总额215.39亿元,增长1.2%。",
        "附表 | 社会消费品零售总额 | 215.4亿元",
        "二、主要指标",
        "指标 | 单位 | 绝对数",
        "社会消费品零售总额 | 万元 | 2153860",
        "注释:",
        "1.全年社会消费品零售总额为215亿元。",
    )
    # the body gives it twice (215.39亿元 and 2153860万元): the same figure, the more precise statement wins
    assert keyed(figures)["retail_sales"] == 215.386


# ---- previous-year values ------------------------------------------------------------------------------------------


def previous(figures: list[BulletinFigure]) -> set[tuple[str | None, int | None, float | None]]:
    return {(f.metric_key, f.year, f.value) for f in figures if f.kind == "previous"}


def test_previous_year_values_keep_their_key_and_year() -> None:
    figures = read(
        "根据第五次全国经济普查结果,2022年全区地区生产总值修订为398.62亿元,第一产业增加值修订为62.15亿元。"
        "初步核算,全年实现地区生产总值421.35亿元,其中第一产业增加值64.82亿元。",
        "规模以上工业增加值比上年增长6.8%(上年为增长4.2%)。全年一般公共预算收入21.64亿元,增长7.3%(上年为19.86亿元)。",
        "地区生产总值增长5.9%,上年为下降1.2%。",
    )
    assert keyed(figures) == {"gdp": 421.35, "va_primary": 64.82, "industrial_va_above_scale_growth": 6.8,
                              "public_budget_revenue": 21.64, "public_budget_revenue_growth": 7.3,
                              "gdp_growth": 5.9}  # fmt: skip
    assert previous(figures) == {("gdp", 2022, 398.62), ("va_primary", 2022, 62.15),
                                 ("industrial_va_above_scale_growth", 2022, 4.2),
                                 ("public_budget_revenue", 2022, 19.86), ("gdp_growth", 2022, -1.2)}  # fmt: skip


def test_share_of_an_earlier_year_and_later_dates_are_not_previous_values() -> None:
    figures = read(
        "全年接待游客3826.7万人次,恢复到2019年的92.3%。常住人口城镇化率52.9%,为上年的101.2%。",
        "截至2024年2月末,全区常住人口48.8万人。",
    )
    assert keyed(figures) == {"tourist_visits": 3826.7, "urbanization_rate": 52.9}
    assert {key for key, _, _ in previous(figures)} == {None}


# ---- found by the held-out documents (tests/bulletins/holdout) -----------------------------------------------------


def test_text_with_the_pdf_line_breaks_kept_is_rejoined(tmp_path: Path) -> None:
    lines = ["2017年黔江区国民经济和社会发展统计公报", "一、综合",
             "初步核算，全年实现地区生产总值225.84亿元，按可比价格计算，",
             "比上年增长9.1%。其中，第一产业增加值31.56亿元，增长4.2%；第",
             "二产业增加值109.38亿元，增长10.6%；第三产业增加值84.90亿元，",
             "增长9.0%。按常住人口计算，人均地区生产总值达到49 136元，比上",
             "年增长8.6%。", "二、农业", "全年粮食总产量19.42万吨，比上年增长1.1%。全年生猪出栏46.8万",
             "头，下降3.2%。"]  # fmt: skip
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert keyed(extract_file(path).figures) == {
        "gdp": 225.84, "gdp_growth": 9.1, "va_primary": 31.56, "va_primary_growth": 4.2, "va_secondary": 109.38,
        "va_secondary_growth": 10.6, "va_tertiary": 84.90, "va_tertiary_growth": 9.0, "gdp_per_capita": 49136,
        "gdp_per_capita_growth": 8.6, "grain_output": 19.42}  # fmt: skip
    # one paragraph per line stays as it is: long paragraphs end their sentences, short lines are headings
    paragraphs = [lines[0], "重庆市黔江区统计局国家统计局黔江调查队", "一、综合", "".join(lines[2:7]), "二、农业",
                  "".join(lines[8:]), "三、工业和建筑业", "全年规模以上工业增加值比上年增长11.3%。" * 3]  # fmt: skip
    path.write_text("\n".join(paragraphs), encoding="utf-8")
    assert len(normalised_paragraphs(path)) == len(paragraphs)


def test_a_ceiling_is_not_the_rate() -> None:
    assert keyed(read("全年城镇新增就业9216人,城镇登记失业率控制在4.5%以内。")) == {"new_urban_jobs": 0.9216}
    assert keyed(read("年末城镇登记失业率3.62%,控制在4.5%的目标以内。")) == {"urban_registered_unemployment_rate": 3.62}


def test_same_basis_growth_belongs_to_the_level() -> None:
    figures = read("全年完成地方一般公共预算收入8.62亿元,同口径增长6.1%。")
    assert keyed(figures) == {"public_budget_revenue": 8.62, "public_budget_revenue_growth": 6.1}
    # a growth on another basis named in words stays apart
    assert keyed(read("全年一般公共预算收入32.66亿元,下降8.4%,扣除留抵退税因素后同口径增长3.2%。")) == {
        "public_budget_revenue": 32.66, "public_budget_revenue_growth": -8.4}  # fmt: skip


def test_a_clause_naming_only_what_differs_takes_the_head_of_the_clause_before() -> None:
    assert keyed(read("全年粮食播种面积68.35万亩,产量23.56万吨,增长0.5%。")) == {"grain_output": 23.56}
    assert keyed(read("全县规上工业企业42家,实现总产值36.52亿元,增长11.6%。")) == {
        "industrial_output_above_scale": 36.52}  # fmt: skip
    assert keyed(read("全年粮食播种面积68.35万亩,油料产量1.2万吨。")) == {}


def test_older_and_longer_wordings_of_known_labels() -> None:
    figures = read("全年规模工业总产值72.36亿元,增长15.6%;规模工业增加值增长13.8%。",
                   "全年地方财政一般公共预算收入9.86亿元,增长10.2%。",
                   "全县城乡常住居民人均可支配收入16258元,增长9.8%。")  # fmt: skip
    assert keyed(figures) == {
        "industrial_output_above_scale": 72.36, "industrial_va_above_scale_growth": 13.8,
        "public_budget_revenue": 9.86, "public_budget_revenue_growth": 10.2,
        "disposable_income": 16258, "disposable_income_growth": 9.8}  # fmt: skip


# ---- found by the second held-out set (tests/bulletins/holdout2) ---------------------------------------------------


def test_short_and_older_names_of_known_figures() -> None:
    figures = read("全年实现社零总额436.58亿元,增长1.2%。全年进出口112.36亿元。全年实现旅游收入86.25亿元。",
                   "执业医师(含助理)4052人。万人发明专利拥有量5.63件。全年地方一般预算收入9.6亿元。")  # fmt: skip
    assert keyed(figures) == {"retail_sales": 436.58, "retail_sales_growth": 1.2, "imports_exports": 112.36,
                              "tourism_revenue": 86.25, "licensed_doctors": 4052,
                              "invention_patents_per_10k": 5.63, "public_budget_revenue": 9.6}  # fmt: skip
    # look-alikes stay apart
    assert keyed(read("全年乡村旅游收入12.5亿元。全年出口总额15.02亿元。执业医师1236人。")) == {}


def test_total_given_after_its_growth() -> None:
    title = "城口县2024年国民经济和社会发展统计公报"
    figures = read("2024年全县地区生产总值比上年增长5.1%,总量达到71.25亿元。", title=title)
    assert keyed(figures) == {"gdp": 71.25, "gdp_growth": 5.1}
    assert next(f for f in figures if f.metric_key == "gdp").growth_pct == 5.1


def test_breakdown_naming_only_what_differs_is_completed_by_its_total() -> None:
    figures = read("全体居民人均可支配收入实现22156元,增长6.3%;其中,城镇居民36215元,增长4.6%;"
                   "农村居民15632元,增长7.2%。")  # fmt: skip
    assert keyed(figures) == {
        "disposable_income": 22156, "disposable_income_growth": 6.3, "urban_disposable_income": 36215,
        "urban_disposable_income_growth": 4.6, "rural_disposable_income": 15632,
        "rural_disposable_income_growth": 7.2}  # fmt: skip
    # a breakdown that completes to no known label stays as written
    figures = read("全年一般公共预算收入22.46亿元,其中税收收入13.05亿元。",
                   "全体居民人均消费支出22815元,其中城镇居民28000元。")  # fmt: skip
    assert keyed(figures) == {"public_budget_revenue": 22.46}


# ---- found by the third held-out set (tests/bulletins/holdout3) ----------------------------------------------------


def test_title_naming_an_autonomous_county_by_its_short_name() -> None:
    result = extract_paragraphs(["2023年秀山县国民经济和社会发展统计公报", "全县实现地区生产总值312.56亿元。"], "s")
    assert (result.region_zh, result.region_code) == ("秀山土家族苗族自治县", "500241")
    assert keyed(result.figures) == {"gdp": 312.56}


def test_growth_after_a_side_note_in_brackets_belongs_to_the_figure_before() -> None:
    figures = read("全区人均GDP为72635元(按年平均汇率折算为10976美元),增长7.6%。")
    assert keyed(figures) == {"gdp_per_capita": 72635, "gdp_per_capita_growth": 7.6}
    # a growth inside the brackets is still the bracketed figure's
    figures = read("全年一般公共预算收入22.46亿元(其中区本级12.05亿元,增长3.1%),增长8.1%。")
    assert keyed(figures) == {"public_budget_revenue": 22.46, "public_budget_revenue_growth": 8.1}


def test_level_after_its_growth_without_a_subject() -> None:
    assert keyed(read("全年规模以上工业产值增长11.2%,达到236.52亿元。")) == {"industrial_output_above_scale": 236.52}
    assert keyed(read("全年城镇调查失业率均值为5.3%。")) == {"urban_surveyed_unemployment_rate": 5.3}


# ---- the corpora as a whole --------------------------------------------------------------------------------------


def test_realistic_and_held_out_corpora_score() -> None:
    from tests.bulletins.score_corpus import HERE, score_corpus

    for name in ("realistic", "holdout", "holdout2", "holdout3"):
        actual, previous, n = score_corpus(HERE / name)
        assert n >= 4
        assert actual.precision == 1.0, (name, actual.notes)
        assert actual.recall >= 0.98, (name, actual.notes)
        assert previous.precision == 1.0, (name, previous.notes)
        assert actual.document_errors == 0, (name, actual.notes)


def test_every_figure_of_the_corpora_keeps_its_sentence_and_locator() -> None:
    from tests.bulletins.helpers import located_paragraph, located_text
    from tests.bulletins.score_corpus import DEFAULT_DIRS, corpus_pairs

    for directory in DEFAULT_DIRS:
        for doc, _ in corpus_pairs(directory):
            paragraphs = normalised_paragraphs(doc)
            result = extract_file(doc)
            for figure in result.figures:
                assert figure.raw_value_text.lstrip("-") in located_text(paragraphs, figure.locator), figure
                assert figure.excerpt and figure.excerpt in located_paragraph(paragraphs, figure.locator), figure
                if figure.kind != "previous":
                    assert figure.year == result.year, figure
