"""Themes (SPEC §3) and the rules that propose a theme for a plan section or a narrative target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load


@dataclass(frozen=True)
class Theme:
    code: str
    name_zh: str
    name_en: str
    sort_order: int
    section_keywords: tuple[str, ...]
    narrative_keywords: tuple[str, ...]


@dataclass(frozen=True)
class ThemeRules:
    themes: tuple[Theme, ...]  # in sort order
    narrative_priority: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(theme.code for theme in self.themes)

    def for_section(self, section_zh: str | None) -> tuple[str, str]:
        """(theme code, basis). Rows above the first section row belong to the first theme."""
        if section_zh is None:
            return self.themes[0].code, "before_first_section"
        for theme in self.themes:
            if any(keyword in section_zh for keyword in theme.section_keywords):
                return theme.code, "section"
        return self.themes[0].code, "unmatched"

    def for_text(self, *texts: str | None) -> tuple[str, str]:
        by_code = {theme.code: theme for theme in self.themes}
        for text in texts:
            if not text:
                continue
            for code in self.narrative_priority:
                if any(keyword in text for keyword in by_code[code].narrative_keywords):
                    return code, "keyword"
        return self.themes[0].code, "unmatched"


def load_theme_rules(path: Path) -> ThemeRules:
    try:
        document = safe_load(path.read_text(encoding="utf-8"))
        themes = tuple(
            sorted(
                (
                    Theme(
                        code=str(item["code"]),
                        name_zh=str(item["name_zh"]),
                        name_en=str(item["name_en"]),
                        sort_order=int(item["sort_order"]),
                        section_keywords=tuple(item.get("section_keywords") or ()),
                        narrative_keywords=tuple(item.get("narrative_keywords") or ()),
                    )
                    for item in document["themes"]
                ),
                key=lambda theme: theme.sort_order,
            )
        )
        priority = tuple(document.get("narrative_priority") or (t.code for t in themes))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise InputError(path, "whole file", f"cannot read the theme rules: {exc}") from exc
    unknown = set(priority) - {theme.code for theme in themes}
    if unknown:
        raise InputError(path, "narrative_priority", f"unknown theme codes {sorted(unknown)}")
    return ThemeRules(themes, priority)
