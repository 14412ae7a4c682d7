"""SPEC §3: the plan's notation → parsed target values."""

import pytest

from ingest.notation import NotationError, parse_target, resolve_comparator


@pytest.mark.parametrize(
    ("text", "value", "aggregation", "comparator"),
    [
        ("60", 60.0, "final_year", None),
        ("3以上", 3.0, "final_year", "ge"),
        ("≥65", 65.0, "final_year", "ge"),
        ("95以上", 95.0, "final_year", "ge"),
        ("不低于80", 80.0, "final_year", "ge"),
        ("<5.5", 5.5, "final_year", "lt"),
        ("≤3", 3.0, "final_year", "le"),
        ("5以下", 5.0, "final_year", "le"),
        ("15以内", 15.0, "final_year", "le"),
        ("350左右", 350.0, "final_year", "approx"),
        ("7△", 7.0, "average", None),
        ("350左右△", 350.0, "average", "approx"),
        ("【400】", 400.0, "cumulative", None),
        ("【13】", 13.0, "cumulative", None),
        ("达标", None, "final_year", "qualitative"),
        ("达到市上要求", None, "final_year", "qualitative"),
        ("－", None, None, None),
        ("１２．５", 12.5, "final_year", None),  # full-width digits
        ("＜5.5", 5.5, "final_year", "lt"),
    ],
)
def test_notation(text, value, aggregation, comparator):
    parsed = parse_target(text)
    assert (parsed.value, parsed.aggregation, parsed.comparator) == (value, aggregation, comparator)
    assert parsed.text == text.strip()


def test_structure_keeps_components():
    parsed = parse_target("10.7:29.6:59.7")
    assert parsed.comparator == "structure"
    assert parsed.structure == (10.7, 29.6, 59.7)
    assert parse_target("2.4:1").structure == (2.4, 1.0)
    assert parse_target("2.4∶1").structure == (2.4, 1.0)  # ratio colon U+2236


@pytest.mark.parametrize("text", ["", "  ", "约5", "5%", "abc", "【3】△", "≥5以上", "5.5.5"])
def test_unknown_notation_is_an_error(text):
    with pytest.raises(NotationError):
        parse_target(text)


def test_plain_number_takes_comparator_from_direction():
    assert resolve_comparator(None, 1) == "ge"
    assert resolve_comparator(None, -1) == "le"
    assert resolve_comparator("lt", 1) == "lt"
