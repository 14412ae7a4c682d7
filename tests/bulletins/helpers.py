"""Shared by the bulletin tests: fixture paths, expected files, locator checks."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.bulletins import BulletinFigure

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EXPECTED = HERE / "expected"
LOCATOR = re.compile(r"^(?P<doc>.+):p(?P<p>\d+):s(?P<s>\d+):c(?P<a>\d+)-(?P<b>\d+)$")


def fixture_for(expected: Path) -> Path:
    matches = [p for p in FIXTURES.iterdir() if p.stem == expected.stem]
    assert len(matches) == 1, f"one fixture for {expected.name}, found {matches}"
    return matches[0]


def load_expected(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mapped(figures: list[BulletinFigure]) -> dict[str, list[BulletinFigure]]:
    """The figures of the statistical year by metric key (previous-year values, which carry the key they had in
    their own year, are left out)."""
    out: dict[str, list[BulletinFigure]] = {}
    for f in figures:
        if f.metric_key and f.kind != "previous":
            out.setdefault(f.metric_key, []).append(f)
    return out


def mapped_previous(figures: list[BulletinFigure]) -> dict[tuple[str, int | None], list[float | None]]:
    """Previous-year values by (metric key, year)."""
    out: dict[tuple[str, int | None], list[float | None]] = {}
    for f in figures:
        if f.metric_key and f.kind == "previous":
            out.setdefault((f.metric_key, f.year), []).append(f.value)
    return out


def located_text(paragraphs: list[str], locator: str) -> str:
    """The characters a locator points at."""
    m = LOCATOR.match(locator)
    assert m, locator
    paragraph = paragraphs[int(m["p"]) - 1]
    return paragraph[int(m["a"]) : int(m["b"])]


def located_paragraph(paragraphs: list[str], locator: str) -> str:
    m = LOCATOR.match(locator)
    assert m, locator
    return paragraphs[int(m["p"]) - 1]
