# ruff: noqa: E501  (the expected tables keep one plan row per line)
"""专栏2 (14th plan, 27 rows) and 专栏1 (13th plan, 32 rows + 4 '#' sub-rows) read exactly from the plan outline.
Expected values are typed from the published plan document, not copied from the parser's output."""

from pathlib import Path

import pytest

from ingest.plan_document import parse_plan_document, target_records
from ingest.plan_tables import Region
from ingest.themes import load_theme_rules

REPO = Path(__file__).resolve().parents[2]
QIANJIANG = Region("500114", "qianjiang", "黔江区")

# fmt: off
# seq, name, unit, price basis, 2020 text, 2020 value, 2025 text, 2025 value, aggregation, comparator, attribute, theme
TABLE_2 = [
    (1, '地区生产总值年均增速', '%', None, '3.9', 3.9, '7△', 7.0, 'average', None, 'expected', 'hqd'),
    (2, '人均地区生产总值', '万元', '2020年价', '5', 5.0, '6.7', 6.7, 'final_year', None, 'expected', 'hqd'),
    (3, '全员劳动生产率', '万元/人', '2020年价', '8.6', 8.6, '10.3', 10.3, 'final_year', None, 'expected', 'hqd'),
    (4, '研发经费投入强度', '%', None, '0.5', 0.5, '2', 2.0, 'final_year', None, 'expected', 'hqd'),
    (5, '战略性新兴产业产值占规上工业总产值比重', '%', None, '5.6', 5.6, '10', 10.0, 'final_year', None, 'expected', 'hqd'),
    (6, '万人发明专利拥有量', '件', None, '2.1', 2.1, '2.5', 2.5, 'final_year', None, 'expected', 'hqd'),
    (7, '常住人口城镇化率', '%', None, '53.7', 53.7, '60', 60.0, 'final_year', None, 'expected', 'hqd'),
    (8, '新增上市公司数量', '家', None, '－', None, '3以上', 3.0, 'final_year', 'ge', 'expected', 'hqd'),
    (9, '规模（限额、资质）以上企业数量', '家', None, '【250】', 250.0, '【400】', 400.0, 'cumulative', None, 'expected', 'hqd'),
    (10, '文化旅游业增加值占地区生产总值比重', '%', None, '7.5', 7.5, '15', 15.0, 'final_year', None, 'expected', 'hqd'),
    (11, '常住居民人均可支配收入年均增速', '%', None, '7.9', 7.9, '9.5△', 9.5, 'average', None, 'expected', 'hql'),
    (12, '农村居民人均可支配收入年均增速', '%', None, '8.7', 8.7, '10△', 10.0, 'average', None, 'expected', 'hql'),
    (13, '劳动年龄人口平均受教育年限', '年', None, '11.5', 11.5, '12', 12.0, 'final_year', None, 'binding', 'hql'),
    (14, '平均预期寿命', '年', None, '76', 76.0, '77', 77.0, 'final_year', None, 'expected', 'hql'),
    (15, '每千人口拥有3岁以下婴幼儿托位数', '个', None, '0.4', 0.4, '3', 3.0, 'final_year', None, 'expected', 'hql'),
    (16, '每千人口拥有执业（助理）医师数', '人', None, '2.6', 2.6, '3.3', 3.3, 'final_year', None, 'expected', 'hql'),
    (17, '城镇调查失业率', '%', None, '5.7', 5.7, '<5.5', 5.5, 'final_year', 'lt', 'expected', 'hql'),
    (18, '进出口总额', '亿元', None, '1.2', 1.2, '20', 20.0, 'final_year', None, 'expected', 'open'),
    (19, '实际利用外资', '亿美元', None, '－', None, '【2】', 2.0, 'cumulative', None, 'expected', 'open'),
    (20, '开通航线数量', '条', None, '15', 15.0, '20', 20.0, 'final_year', None, 'expected', 'open'),
    (21, '单位地区生产总值能源消耗降低', '%', None, '达标', None, '达标', None, 'final_year', 'qualitative', 'binding', 'eco'),
    (22, '单位地区生产总值二氧化碳排放降低', '%', None, '达标', None, '达标', None, 'final_year', 'qualitative', 'binding', 'eco'),
    (23, '环境空气质量优良天数', '天', None, '355', 355.0, '350左右△', 350.0, 'average', 'approx', 'binding', 'eco'),
    (24, '地表水达到或好于Ⅲ类水体比例', '%', None, '100', 100.0, '100', 100.0, 'final_year', None, 'binding', 'eco'),
    (25, '森林覆盖率', '%', None, '65', 65.0, '≥65', 65.0, 'final_year', 'ge', 'binding', 'eco'),
    (26, '粮食综合生产能力', '万吨', None, '22.9', 22.9, '≥22.9', 22.9, 'final_year', 'ge', 'binding', 'safe'),
    (27, '亿元地区生产总值安全事故死亡率', '人/亿元', None, '0.04', 0.04, '0.04', 0.04, 'final_year', None, 'binding', 'safe'),
]

# seq, name, unit, 2020 target text, value, 2020 result text, aggregation, comparator, attribute, section
TABLE_1 = [
    (1, '地区生产总值年均增速', '%', '10', 10.0, '8.4△', 'average', None, 'expected', None),
    (2, '城乡常住居民人均可支配收入年均增速', '%', '12.5', 12.5, '10.4△', 'average', None, 'expected', None),
    (3, '工业增加值', '亿元', '66.4', 66.4, '71.9', 'final_year', None, 'expected', '创新发展'),
    (4, '固定资产投资总额', '亿元', '112', 112.0, '85', 'final_year', None, 'expected', '创新发展'),
    (5, '社会消费品零售总额', '亿元', '142', 142.0, '131.1', 'final_year', None, 'expected', '创新发展'),
    (6, '一般公共预算收入', '亿元', '22.8', 22.8, '26.1', 'final_year', None, 'expected', '创新发展'),
    (7, '金融业增加值占地区生产总值比重', '%', '6', 6.0, '6.4', 'final_year', None, 'expected', '创新发展'),
    (8, '互联网普及率', '%', '80', 80.0, '90', 'final_year', None, 'expected', '创新发展'),
    (9, '研究与试验发展经费支出占地区生产总值比重', '%', '0.5', 0.5, '0.5', 'final_year', None, 'expected', '创新发展'),
    (10, '三次产业比重', '%', '10.7:29.6:59.7', None, '13.1:35.2:51.7', 'final_year', 'structure', 'expected', '协调发展'),
    (11, '常住人口城镇化率', '%', '52.5', 52.5, '53.7', 'final_year', None, 'expected', '协调发展'),
    (12, '城镇、农村居民人均可支配收入比', None, '2.4:1', None, '2.6:1', 'final_year', 'structure', 'expected', '协调发展'),
    (13, '文化产业增加值占地区生产总值比重', '%', '2', 2.0, '2.4', 'final_year', None, 'expected', '协调发展'),
    (14, '森林覆盖率', '%', '60', 60.0, '65', 'final_year', None, 'binding', '绿色发展'),
    (15, '森林蓄积量', '万立方米', '1400', 1400.0, '1450', 'final_year', None, 'binding', '绿色发展'),
    (16, '单位地区生产总值能耗降低', '%', '达到市上要求', None, '达到市上要求', 'final_year', 'qualitative', 'binding', '绿色发展'),
    (17, '主要污染物排放总量减少', '%', '达到市上要求', None, '达到市上要求', 'final_year', 'qualitative', 'binding', '绿色发展'),
    (18, '单位地区生产总值用水量降低', '%', '【10】', 10.0, '【30】', 'cumulative', None, 'binding', '绿色发展'),
    (19, '单位地区生产总值二氧化碳排放量降低', '%', '达到市上要求', None, '达到市上要求', 'final_year', 'qualitative', 'binding', '绿色发展'),
    (20, '空气质量优良天数', '天', '335以上', 335.0, '355', 'final_year', 'ge', 'binding', '绿色发展'),
    (21, 'PM2.5浓度下降', '%', '【13】', 13.0, '【22.6】', 'cumulative', None, 'binding', '绿色发展'),
    (22, '城市建成区绿地率', '%', '30', 30.0, '40', 'final_year', None, 'binding', '绿色发展'),
    (23, '过夜游客人次', '万人', '400', 400.0, '413.6△', 'average', None, 'expected', '绿色发展'),
    (24, '进出口总额', '亿元', '0.7', 0.7, '1.2', 'final_year', None, 'expected', '开放发展'),
    (25, '招商引资到位资金', '亿元', '【500】', 500.0, '【480】', 'cumulative', None, 'expected', '开放发展'),
    (26, '减少贫困人口数', '人', '【25000】', 25000.0, '【45132】', 'cumulative', None, 'binding', '共享发展'),
    (27, '城镇新增就业人数', '万人', '【10】', 10.0, '【10】', 'cumulative', None, 'expected', '共享发展'),
    (28, '主要劳动年龄人口平均受教育年限', '年', '11.5', 11.5, '11.5', 'final_year', None, 'binding', '共享发展'),
    (29, '人口平均预期寿命', '岁', '75.8', 75.8, '76', 'final_year', None, 'binding', '共享发展'),
    (30, '城乡养老保险参保率', '%', '95', 95.0, '95', 'final_year', None, 'binding', '共享发展'),
    (31, '城乡医疗保险参保率', '%', '95以上', 95.0, '95以上', 'final_year', 'ge', 'binding', '共享发展'),
    (32, '亿元地区生产总值安全事故死亡率', '人/亿元', '0.05', 0.05, '0.04', 'final_year', None, 'binding', '共享发展'),
]
# fmt: on
SUB_ROWS = ["化学需氧量", "氨氮", "二氧化硫", "氮氧化物"]


@pytest.fixture(scope="module")
def records(plan_text):
    document = parse_plan_document(plan_text, "outline.txt", QIANJIANG)
    return target_records(document, load_theme_rules(REPO / "catalog" / "themes.yaml"))


def _table(records, plan_id):
    return [r for r in records if r["plan_id"] == plan_id and r["kind"] == "table"]


def test_table_2_has_27_rows_exactly(records):
    rows = _table(records, "qianjiang-14th")
    assert len(rows) == 27
    for row, expected in zip(rows, TABLE_2, strict=True):
        seq = expected[0]
        actual = (
            row["seq"],
            row["name_zh"],
            row["unit"],
            row["price_basis"],
            row["baseline_text"],
            row["baseline_value"],
            row["target_text"],
            row["target_value"],
            row["target_aggregation"],
            row["target_comparator"],
            row["attribute"],
            row["theme_code"],
        )
        assert actual == expected, f"专栏2 row {seq}"
        assert row["baseline_year"] == 2020 and row["target_year"] == 2025
        assert row["source_table"] == "专栏2"
        assert row["source_locator"].startswith("outline.txt:L")


def test_table_2_theme_counts(records):
    counts: dict[str, int] = {}
    for row in _table(records, "qianjiang-14th"):
        counts[row["theme_code"]] = counts.get(row["theme_code"], 0) + 1
    assert counts == {"hqd": 10, "hql": 7, "open": 3, "eco": 5, "safe": 2}
    assert [r["seq"] for r in _table(records, "qianjiang-14th") if r["theme_code"] == "hqd"] == list(range(1, 11))


def test_table_1_has_32_rows_and_4_sub_rows(records):
    rows = _table(records, "qianjiang-13th")
    numbered = [r for r in rows if r["seq"] is not None]
    subs = [r for r in rows if r["seq"] is None]
    assert len(numbered) == 32 and len(subs) == 4
    for row, expected in zip(numbered, TABLE_1, strict=True):
        seq = expected[0]
        actual = (
            row["seq"],
            row["name_zh"],
            row["unit"],
            row["target_text"],
            row["target_value"],
            row["result_text"],
            row["target_aggregation"],
            row["target_comparator"],
            row["attribute"],
            row["section_zh"],
        )
        assert actual == expected, f"专栏1 row {seq}"
        assert row["baseline_year"] == 2015 and row["target_year"] == 2020
    assert [s["name_zh"] for s in subs] == SUB_ROWS
    for index, sub in enumerate(subs, start=1):
        assert sub["parent_seq"] == 17
        assert sub["indicator_id"] == f"qianjiang-13th-17.{index}"
        assert sub["target_text"] == sub["result_text"] == "达到市上要求"
        assert sub["attribute"] == "binding"  # inherited from row 17


def test_table_1_results_parse(records):
    rows = {r["seq"]: r for r in _table(records, "qianjiang-13th") if r["seq"]}
    assert rows[1]["result_value"] == 8.4
    assert rows[26]["result_value"] == 45132.0
    assert rows[10]["result_structure"] == [13.1, 35.2, 51.7]
    assert rows[12]["target_structure"] == [2.4, 1.0]


def test_plans_and_their_years(plan_text):
    document = parse_plan_document(plan_text, "outline.txt", QIANJIANG)
    plans = {p.plan_id: (p.base_year, p.target_year, p.name_zh) for p in document.plans}
    assert plans == {
        "qianjiang-13th": (2015, 2020, "黔江区“十三五”规划"),
        "qianjiang-14th": (2020, 2025, "黔江区“十四五”规划"),
    }
