"""Every fixture against its expected figures (tests/bulletins/expected/<fixture>.yaml), exactly: the same
mapped keys (nothing unexpected — precision), the same values in canonical units, growth and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bulletins import extract_file, normalised_paragraphs
from tests.bulletins.helpers import (
    EXPECTED,
    fixture_for,
    load_expected,
    located_paragraph,
    located_text,
    mapped,
    mapped_previous,
)

EXPECTED_FILES = sorted(EXPECTED.glob("*.yaml"))


def test_corpus_is_varied_enough() -> None:
    fixtures = [p for p in (Path(__file__).parent / "fixtures").iterdir() if p.is_file()]
    assert len(fixtures) >= 20
    assert {p.suffix for p in fixtures} >= {".txt", ".html", ".docx"}
    assert len(EXPECTED_FILES) >= 20


@pytest.mark.parametrize("expected_file", EXPECTED_FILES, ids=lambda p: p.stem)
def test_fixture_figures_exactly(expected_file: Path) -> None:
    expected = load_expected(expected_file)
    path = fixture_for(expected_file)
    result = extract_file(path)

    assert result.document_id == path.name
    assert result.region_zh == expected["region_zh"]
    assert result.region_code == expected["region_code"]
    assert result.year == expected["year"]
    assert result.period == expected["period"]
    assert len(result.rejections) == expected["rejections"]

    got = mapped(result.figures)
    assert sorted(got) == sorted(expected["figures"]), "mapped keys differ (unexpected or missing keys)"
    for key, want in expected["figures"].items():
        for figure in got[key]:  # a key may appear twice (text and table) but always with one value
            assert figure.value == want["value"], key
            assert figure.unit == want["unit"], key
            if "growth_pct" in want:
                assert figure.growth_pct == want["growth_pct"], key
            if "growth_basis" in want:
                assert figure.growth_basis == want["growth_basis"], key
            assert figure.region_zh == expected["region_zh"]
            assert figure.year == expected["year"]
            assert figure.period == expected["period"]

    # previous-year values: the key they had in their own year, that year, kind `previous`
    want_previous = {(p["key"], p["year"]): [p["value"]] for p in expected.get("previous", [])}
    assert mapped_previous(result.figures) == want_previous

    for want in expected.get("ratios", []):
        assert any(
            f.label_zh == want["label_zh"] and f.raw_value_text == want["raw_value_text"] and f.value is None
            for f in result.figures
        ), want


@pytest.mark.parametrize("expected_file", EXPECTED_FILES, ids=lambda p: p.stem)
def test_every_locator_points_at_its_number_and_excerpt_is_its_sentence(expected_file: Path) -> None:
    path = fixture_for(expected_file)
    result = extract_file(path)
    paragraphs = normalised_paragraphs(path)
    assert result.figures, "every fixture has figures"
    for figure in result.figures:
        assert figure.locator.startswith(f"{path.name}:p")
        span = located_text(paragraphs, figure.locator)
        assert figure.raw_value_text.lstrip("-") in span, (figure.locator, span)
        paragraph = located_paragraph(paragraphs, figure.locator)
        if "|" not in paragraph and span != figure.raw_value_text:
            # the unit follows the number (in a table it sits in its own cell or in the header; a list member
            # such as 43216 in "43216、18652元" shares the unit of the last member)
            assert span.endswith(figure.raw_unit), (figure.locator, span, figure.raw_unit)
        assert figure.excerpt in paragraph
        start = paragraph.index(figure.excerpt) if paragraph.count(figure.excerpt) == 1 else None
        if start is not None:  # the span lies inside the excerpt
            a, b = (int(x) for x in figure.locator.rsplit(":c", 1)[1].split("-"))
            assert start <= a and b <= start + len(figure.excerpt)
    for rejection in result.rejections:
        assert rejection.excerpt in located_paragraph(paragraphs, rejection.locator)
