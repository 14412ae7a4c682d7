"""What a bulletin is about: region, statistical year and period, read from its title or first heading."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.bulletins import patterns as P
from ingest.bulletins.region import Named, detect_region, known_region_in, lowest_unit, resolve, table_unit
from ingest.regions import CATALOG, divisions_named

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass(frozen=True)
class DocumentInfo:
    title: str | None
    region: Named | None  # with its division code when the region table has exactly one division for the name
    year: int | None
    period: str  # annual · H1 · Q1 · Q1-Q3 · Q2 · Q3 · Q4 · M1-M<n>

    @property
    def region_zh(self) -> str | None:
        return self.region.name_zh if self.region else None


def _period_in(text: str) -> str | None:
    for pattern, code in P.PERIODS:
        match = pattern.search(text)
        if match:
            if code == "M":
                months = match.group(1) or match.group(2)
                return "annual" if months == "12" else f"M1-M{int(months)}"
            return code
    return None


def _year_in(text: str) -> int | None:
    """The statistical year a title names: `2023年`, `二〇二三年`; never a date (2024年4月30日)."""
    match = P.STAT_YEAR.search(text)
    if match:
        return int(match.group(1))
    match = P.CN_YEAR.search(text)
    if match:
        return int("".join(_CN_DIGITS[c] for c in match.group(1)))
    return None


def _region_in(text: str, catalog_dir: Path) -> Named | None:
    found = detect_region(text, catalog_dir)
    if found or "," in text:
        return found  # a line with a comma is a sentence: the names in it need not be the bulletin's region
    stripped = P.TITLE_NOISE.sub(" ", text)
    units = [m.group(0) for m in P.ADMIN_UNIT.finditer(stripped.replace(" ", "|"))]
    units = [u for u in units if not u.endswith("统计局") and u[0] not in "全我本该各"]
    return resolve(units[-1], text, catalog_dir) if units else None


def _year_of_opening(paragraphs: list[str]) -> int | None:
    """The year the first sentences of the text name (2023年,全县… / 2023年是… / 初步核算,2023年全县…), when the
    title names none; lines of publication dates and sources are passed over, and so are dates."""
    for paragraph in paragraphs:
        if P.PUBLICATION_LINE.search(paragraph) and not P.OPENING_YEAR.search(paragraph):
            continue
        opening = "。".join(paragraph.split("。")[:2])
        match = P.OPENING_YEAR.search(opening)
        if match:
            return int(match.group("year"))
        if re.search(r"\d", paragraph) and len(paragraph) > 30:
            return None  # the text has started without naming its year
    return None


def _embedded_title(paragraphs: list[str]) -> str | None:
    """A bulletin's title quoted in the opening text (…发布了《2022年四川省国民经济和社会发展统计公报》): the words of
    its sentence up to 统计公报."""
    for paragraph in paragraphs:
        m = P.BULLETIN_TITLE.search(paragraph)
        if m:
            start = max(paragraph.rfind(c, 0, m.start()) for c in "。;!") + 1
            return paragraph[start : m.end()]
    return None


def _bureau_region(paragraphs: list[str], catalog_dir: Path) -> Named | None:
    """The region of the bureau that signs the page (武城县统计局, 晋城市统计局 …) in its opening lines."""
    for paragraph in paragraphs:
        m = P.BUREAU.search(paragraph[:60])
        if m:
            # the signing bureau's name is kept even when the table lacks it, so that the quarantine names it
            names = m.group("names")
            found = known_region_in(names, catalog_dir) or resolve(lowest_unit(names), names, catalog_dir)
            if found:
                return found
    return None


def _opening_region(paragraphs: list[str], catalog_dir: Path) -> Named | None:
    """The region the opening sentences name as their subject (黄陵县委、县政府…, 2022年,江苏省GDP…, 2020年咸宁经济…),
    when it is a name of the region table and its level agrees with the word the text uses for the whole region
    (全县 → a 县; a short form such as 咸宁 is taken only so, as the one division of that name and level)."""
    text = "\n".join(paragraphs)
    words = Counter(m.group(1) for m in P.SELF_WORD.finditer(text))
    level = words.most_common(1)[0][0] if words else None
    for paragraph in paragraphs[:3]:
        for m in P.OPENING_REGION.finditer(paragraph[:300]):
            found = table_unit(m.group("names"), paragraph[: m.end()], catalog_dir)
            if found and (level is None or found.name_zh.endswith(level)):
                return found
        if level is not None and (m := P.OPENING_SHORT_NAME.search(paragraph[:40])):
            found = _short_of_level(m.group("name"), level, paragraph[: m.end()], catalog_dir)
            if found:
                return found
    return None


def _short_of_level(name: str, level: str, context: str, catalog_dir: Path) -> Named | None:
    """The one division a short form names among those whose name ends in `level` (咸宁 with 全市 → 咸宁市)."""
    fits = [d for d in divisions_named(name, catalog_dir) if d.name_zh.endswith(level)]
    if len(fits) != 1 or name not in fits[0].short_names:
        return None
    return resolve(fits[0].code, context, catalog_dir)


def read_document_info(paragraphs: list[str], catalog_dir: Path = CATALOG) -> DocumentInfo:
    """Title = the first short paragraph naming a bulletin/report; region, year and period come from it.
    Pages without such a line: the bulletin's title quoted in the opening text, the bureau that signs it
    (晋城市统计局), the opening sentence (2020年,全市…). The year is never read from a date (2024年4月30日).
    A report whose title names no period but whose text opens with 上半年/1-6月… takes that period, so a
    half-year report is never read as annual."""
    head = paragraphs[:6]
    # web pages put menus and breadcrumbs ("统计数据", "统计公报") before the title: prefer a bulletin's title
    # with a year, then any line with a year
    candidates = [
        p
        for p in paragraphs[:30]
        if len(p) <= 80 and P.TITLE_HINT.search(p) and not P.BREADCRUMB.search(p) and "。" not in p
    ]
    title = next(
        (p for p in candidates if P.BULLETIN_TITLE.search(p) and _year_in(p)),
        next((p for p in candidates if _year_in(p)), candidates[0] if candidates else None),
    )
    if title is None and head and len(head[0]) <= 60 and _year_in(head[0]):
        title = head[0]
    embedded = _embedded_title(head[:4]) if title is None or not _year_in(title) else None
    region = _region_in(title, catalog_dir) if title else None
    if region is None and embedded:
        region = detect_region(embedded, catalog_dir)
    if region is None:
        region = next((r for p in head[:4] if len(p) <= 80 and (r := known_region_in(p, catalog_dir))), None)
    if region is None:
        region = _bureau_region(head, catalog_dir)
    if region is None:
        region = _opening_region([p for p in paragraphs[:8] if p != title], catalog_dir)
    year = _year_in(title) if title else None
    if year is None and embedded:
        year = _year_in(embedded)
    if year is None:
        after = paragraphs.index(title) + 1 if title in paragraphs else 0
        year = _year_of_opening(paragraphs[after : after + 6])
    if year is None:
        # the captions of the bulletin's tables and charts, when they all name one and the same year
        years = {int(m.group("year")) for m in P.CAPTION_YEAR.finditer("\n".join(paragraphs[:80]))}
        year = years.pop() if len(years) == 1 else None
    period = _period_in(title) if title else None
    if period is None:
        # the first paragraph with a number after the title: a report that opens "上半年,全区…" is H1
        first = next((p for p in paragraphs[:8] if p != title and re.search(r"\d", p)), "")
        period = _period_in(re.sub(r"^(?:19|20)\d\d年(?:度)?", "", first)[:30])
    return DocumentInfo(title=title, region=region, year=year, period=period or "annual")
