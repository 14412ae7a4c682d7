"""Quantitative targets stated in the plan's text ('到2025年，…达到…'), and the 2020 results of its review."""

import pytest

from ingest.plan_document import parse_plan_document
from ingest.plan_tables import Region

QIANJIANG = Region("500114", "qianjiang", "黔江区")


@pytest.fixture(scope="module")
def document(plan_text):
    return parse_plan_document(plan_text, "outline.txt", QIANJIANG)


def _by_name(statements):
    found = {}
    for statement in statements:
        found.setdefault(statement.name_zh, statement)
    return found


def test_at_least_40_narrative_targets_each_complete(document):
    assert len(document.targets) >= 40
    for target in document.targets:
        assert target.name_zh and target.unit and target.value is not None
        assert target.value_text.startswith(str(target.value).rstrip("0").rstrip(".")[:1])
        assert target.excerpt and target.value_text in target.excerpt.replace(" ", "")


@pytest.mark.parametrize(
    ("name", "value", "unit", "comparator", "aggregation"),
    [
        ("规模以上工业总产值", 350.0, "亿元", None, "final_year"),
        ("工业增加值年均增速", 8.0, "%", "approx", "average"),
        ("社会消费品零售总额年均增速", 7.0, "%", "approx", "average"),
        ("服务业增加值占GDP比重", 55.0, "%", "approx", "final_year"),
        ("企业物流成本", 15.0, "%", "le", "final_year"),
        ("国家级“双创平台”", 10.0, "家", "gt", "final_year"),
        ("技能人才总量", 17.0, "万人", "approx", "final_year"),
        ("中心城区建成区面积", 30.0, "平方公里", None, "final_year"),
        ("中心城区人口", 30.0, "万人", "ge", "final_year"),
        ("旅客吞吐量", 100.0, "万人次", None, "final_year"),
        ("货邮吞吐量", 1000.0, "吨", None, "final_year"),
        ("城镇新增就业", 5.0, "万人", "ge", "cumulative"),
        ("新增城乡供水能力", 1.5, "亿立方米", None, "cumulative"),
        ("知识价值信用贷款规模", 5.0, "亿元", None, "cumulative"),
        ("水土保持率", 73.0, "%", "ge", "final_year"),
        ("农村自来水普及率", 80.0, "%", None, "final_year"),
        ("农业增加值年均增速", 5.0, "%", "ge", "average"),
    ],
)
def test_narrative_target_exact(document, name, value, unit, comparator, aggregation):
    target = _by_name(document.targets)[name]
    assert (target.value, target.unit, target.comparator, target.aggregation) == (value, unit, comparator, aggregation)


def test_lower_is_better_is_proposed_for_costs(document):
    assert _by_name(document.targets)["企业物流成本"].direction == -1
    assert _by_name(document.targets)["规模以上工业总产值"].direction == 1


def test_2035_vision_is_not_a_target_of_this_plan(document):
    assert not [t for t in document.targets if t.value == 50.0 and t.unit == "平方公里"]


def test_context_of_box_items(document):
    target = _by_name(document.targets)["农村自来水普及率"]
    assert target.context == "农村供水保障"
    assert target.chapter.startswith("专栏5")


def test_review_states_2020_results(document):
    review = _by_name(document.review)
    assert review["地区生产总值"].value == 245.2 and review["地区生产总值"].unit == "亿元"
    assert review["地区生产总值年均增速"].value == 8.4
    assert review["城镇居民人均可支配收入"].value == 37335.0
    assert review["农村居民人均可支配收入"].value == 14104.0
    assert review["常住人口城镇化率"].value == 53.7
    assert review["森林覆盖率"].value == 65.0
