"""Normalisation of one paragraph before segmentation and extraction.

Locators point into the *normalised* paragraph, so everything here is a pure function of the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Footnote marks that NFKC would turn into plain digits (①→1, ¹→1) and so glue onto the figure that follows:
# they must go before NFKC runs.
_PRE_NFKC_MARKS = re.compile(r"[\u2460-\u2473\u2776-\u2793\u00b9\u00b2\u00b3\u2070-\u2079]")
_PRE_NFKC_MAP = str.maketrans({"\u2236": ":", "\ufe30": ":", "\ufe13": ":", "\u2212": "-", "\u2013": "-"})

# Footnote marks after NFKC: 【1】 [2] [注1] (注1) 〔3〕; they sit between a label and its number.
_FOOTNOTE = re.compile(
    r"【\s*注?\s*\d{1,2}\s*】|\[\s*注?\s*\d{1,2}\s*\]|\(\s*注\s*\d{1,2}\s*\)|〔\s*注?\s*\d{1,2}\s*〕"
)
_DIGIT_GROUP_SPACE = re.compile(r"(?<![\d.])(\d{1,3})((?: \d{3})+)(?![\d])")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")
# Whitespace carries no meaning next to CJK text, digits or units (PDF and HTML sprinkle it everywhere).
_SPACE_NEAR_CJK = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_SPACE_BEFORE_UNIT = re.compile(r"(?<=\d)\s+(?=[%‰])")
_MULTISPACE = re.compile(r"\s+")
# Forum markup copied with the text: [b]20[/b][b]22[/b][b]年[/b]
_BBCODE = re.compile(r"\[/?(?:b|i|u|s|align|color|font|size|url|img|quote|p|span|table|tr|td|backcolor)(?:=[^\]]*)?\]")
# Romanisation that mirror sites put after characters: 地区(qū)生产(chǎn)总值. A bracket of pinyin letters right after a
# character: with a tone mark, or lowercase letters that make a syllable between two characters.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_ROMANISATION = re.compile(
    rf"(?<=[\u4e00-\u9fff])(?:\((?:[a-z{_TONED}]{{0,6}}[{_TONED}][a-z{_TONED}]{{0,6}}"
    rf"|(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv]{{1,3}}(?:ng|n|r)?(?=\)[^A-Za-z]|\)$))\))+"
)

TABLE_SEP = " | "


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def is_table_row(text: str) -> bool:
    """A flattened table row `a | b | c` (at least two cells)."""
    return text.count("|") >= 1 and len([c for c in text.strip().strip("|").split("|") if c.strip()]) >= 2


# An asterisk glued to a number marks a footnote or a revised figure ("4.20*万人").
_STAR = re.compile(r"(?<=[\d.])\*+|\*+(?=\d)")


_GDP = re.compile(r"(?<![A-Za-z])(?:gdp|Gdp|GDp|gDP|GdP)(?![A-Za-z])")


def _normalise_inline(text: str) -> str:
    text = _STAR.sub("", _FOOTNOTE.sub("", text))
    if "dp" in text or "Dp" in text or "dP" in text:
        text = _GDP.sub("GDP", text)  # the acronym as pages mistype it
    text = _DIGIT_GROUP_SPACE.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACE_BEFORE_UNIT.sub("", text)
    return _MULTISPACE.sub(" ", text).strip()


def normalise_paragraph(raw: str) -> str:
    """NFKC, Traditional→Simplified, footnote marks out, numbers rejoined; table rows as `a | b | c`."""
    text = _PRE_NFKC_MARKS.sub("", raw.translate(_PRE_NFKC_MAP))
    text = unicodedata.normalize("NFKC", text)
    if "[/" in text:
        text = _BBCODE.sub("", text)
    if "(" in text:
        text = _ROMANISATION.sub("", text)
    text = _t2s().convert(text)
    if is_table_row(text):
        cells = [_normalise_inline(c) for c in text.strip().strip("|").split("|")]
        return TABLE_SEP.join(cells).strip()
    return _normalise_inline(text)
