"""Peer groups: the shipped 渝东南 group loads; a user's group with an unknown member, a focus outside the group
or a wrong direction is refused with the entry and what to do."""

from pathlib import Path

import pytest

from ingest.catalog import load_regions
from ingest.peer_groups import load_peer_groups, parse_peer_groups, peer_group_records
from planwatch_core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
CODES = {region.code for region, _ in load_regions(REPO / "catalog" / "regions.yaml")}


def test_the_shipped_group_is_yudongnan_with_qianjiang_in_focus():
    groups, metrics = load_peer_groups(REPO / "catalog" / "peer_groups.yaml", CODES)
    (group,) = groups
    assert (group.code, group.name_zh, group.focus) == ("yudongnan", "渝东南", "500114")
    assert group.members == ("500114", "500156", "500240", "500241", "500242", "500243")
    records = peer_group_records(groups)
    assert [r["is_focus"] for r in records] == [True, False, False, False, False, False]
    directions = {m.key: m.direction for m in metrics}
    assert directions["energy_per_gdp"] == -1 and directions["gdp_growth"] == 1


def test_a_user_adds_a_group_without_code():
    text = (
        "peer_groups:\n"
        "  - {code: pair, name_zh: 两区, focus: '500114', members: ['500114', '500156']}\n"
        "metrics:\n  - {key: gdp, label_zh: 地区生产总值, unit: 亿元, direction: 1}\n"
    )
    groups, metrics = parse_peer_groups(text, "peer_groups.yaml", CODES)
    assert groups[0].members == ("500114", "500156") and metrics[0].key == "gdp"


@pytest.mark.parametrize(
    ("group", "metric", "reason"),
    [
        ("{code: g, name_zh: 组, focus: '500114', members: ['500114', '999999']}", "", "999999 are not in regions"),
        ("{code: g, name_zh: 组, focus: '500156', members: ['500114']}", "", "focus 500156 is not one of"),
        ("{code: g, name_zh: 组, members: ['500114']}", "", "missing focus"),
        (
            "{code: g, name_zh: 组, focus: '500114', members: ['500114']}",
            "{key: gdp, label_zh: 地区生产总值, unit: 亿元, direction: 0}",
            "direction 0 of gdp",
        ),
    ],
)
def test_a_bad_entry_is_refused_with_its_place(group, metric, reason):
    text = f"peer_groups:\n  - {group}\nmetrics:\n" + (f"  - {metric}\n" if metric else "")
    with pytest.raises(InputError) as caught:
        parse_peer_groups(text, "peer_groups.yaml", CODES)
    assert reason in str(caught.value)
    assert caught.value.place in ("peer_groups entry 1", "metrics entry 1")
