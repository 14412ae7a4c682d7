"""`planwatch report peers`: the comparison table a statistics bureau sends, read back from the workbook."""

import pytest
from openpyxl import load_workbook

from planwatch.peer_report import default_year, write_peer_xlsx
from tests.conftest import pipeline_env, run_planwatch


def _row(region, name, order, metric, label, unit, value, rank, focus=False, kind="reported", median=None):
    return {
        "group_code": "g", "group_zh": "测试组", "metric_key": metric, "metric_label_zh": label, "unit": unit,
        "direction": -1 if metric == "energy_per_gdp" else 1, "metric_order": 1 if metric == "gdp" else 2,
        "year": 2023, "region_code": region, "region_zh": name, "member_order": order, "is_focus_region": focus,
        "value": value, "value_kind": kind, "rank_in_group": rank, "n_reported": 2, "n_in_group": 3,
        "group_median": median, "source_kind": "bulletin" if value is not None else None,
        "source_url": f"https://example.org/{region}" if value is not None else None,
        "source_document": f"https://example.org/{region}" if value is not None else None,
        "source_locator": "一、综合 第1段" if value is not None else None,
    }


ENERGY = ("energy_per_gdp", "单位地区生产总值能耗", "吨标准煤/万元")


def test_the_table_has_title_units_regions_with_ranks_and_sources(tmp_path):
    # invented figures: a tie on GDP, a member without figures, a lower-is-better metric, an estimate
    rows = [
        _row("A", "甲区", 1, "gdp", "地区生产总值", "亿元", 100.0, 1, focus=True, median=100.0),
        _row("B", "乙县", 2, "gdp", "地区生产总值", "亿元", 100.0, 1, kind="estimate", median=100.0),
        _row("C", "丙县", 3, "gdp", "地区生产总值", "亿元", None, None, median=100.0),
        _row("A", "甲区", 1, *ENERGY, 0.5, 2, focus=True, median=0.45),
        _row("B", "乙县", 2, *ENERGY, 0.4, 1, median=0.45),
        _row("C", "丙县", 3, *ENERGY, None, None, median=0.45),
    ]
    path = tmp_path / "peers.xlsx"
    write_peer_xlsx(rows, path)
    book = load_workbook(path)
    sheet = book["区域对比"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "测试组区县主要经济指标对比（2023年）"
    assert values[1][0].startswith("单位")
    assert values[2] == ["指标名称", "甲区", None, "乙县", None, "丙县", None, "组中位数", "已公布地区数"]
    assert values[3] == [None, "数值", "位次", "数值", "位次", "数值", "位次", None, None]
    assert values[4] == ["地区生产总值（亿元）", 100, 1, 100, 1, "—", "—", 100, "2/3"]
    assert values[5] == ["单位地区生产总值能耗（吨标准煤/万元）", 0.5, 2, 0.4, 1, "—", "—", 0.45, "2/3"]
    notes = [v[0] for v in values if v[0] and str(v[0]).startswith(("注", "资料来源"))]
    assert "数据缺失" in notes[0] and "越低位次越前" in notes[0] and "斜体数值为预计数" in notes[0]
    assert notes[1].startswith("资料来源：甲区统计公报；乙县统计公报")
    assert sheet.cell(5, 4).font.italic and not sheet.cell(5, 2).font.italic  # the estimate is italic
    assert sheet.cell(5, 2).fill.fgColor.rgb.endswith("FFF2CC")  # the focus region is highlighted
    sources = [list(r) for r in book["资料来源"].iter_rows(values_only=True)]
    assert sources[0][:3] == ["地区", "指标名称", "年份"]
    assert ["乙县", "地区生产总值", 2023, 100, "亿元", "预计数", "统计公报", "https://example.org/B",
            "一、综合 第1段"] in sources
    assert len(sources) == 1 + 4  # the members without figures have no source row


def test_the_default_year_is_the_latest_that_two_members_reported():
    assert default_year([(2022, 3), (2023, 2), (2025, 1)]) == 2023
    assert default_year([(2024, 1), (2025, 1)]) == 2025
    assert default_year([]) is None


@pytest.mark.slow
def test_peers_report_of_the_real_figures(built_repo, tmp_path):
    path = tmp_path / "渝东南.xlsx"
    result = run_planwatch(
        built_repo, "report", "peers", "--xlsx", str(path), "--group", "渝东南", "--year", "2022",
        env=pipeline_env(built_repo),
    )
    assert result.returncode == 0, result.stderr
    rows = [list(r) for r in load_workbook(path)["区域对比"].iter_rows(values_only=True)]
    assert rows[0][0] == "渝东南区县主要经济指标对比（2022年）"
    assert rows[2][1::2][:6] == ["黔江区", "武隆区", "石柱土家族自治县", "秀山土家族苗族自治县",
                                 "酉阳土家族苗族自治县", "彭水苗族土家族自治县"]
    gdp = next(r for r in rows if r[0] == "地区生产总值（亿元）")
    # 2022 bulletins: 秀山 358.21 > 酉阳 231.66 > 石柱 209.07; 黔江, 武隆, 彭水 published none in the stored pages
    assert gdp[1:13] == ["—", "—", "—", "—", 209.07, 3, 358.21, 1, 231.66, 2, "—", "—"]
    assert gdp[13:] == [231.66, "3/6"]
    growth = next(r for r in rows if r[0] == "地区生产总值增速（%）")
    assert growth[5:7] == [4, 1]  # 石柱: 增速排渝东南第1位 among those that published
    bad = run_planwatch(built_repo, "report", "peers", "--xlsx", str(path), "--group", "渝西",
                        env=pipeline_env(built_repo))
    assert bad.returncode == 2 and "渝东南 (yudongnan)" in bad.stderr
