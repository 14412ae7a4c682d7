"""Paragraphs → sentences with stable positions, the base of every locator."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.bulletins.normalize import is_table_row

# 。；!? end a sentence; `?` only when it is not glued to digits (there it marks an encoding error that the
# extractor must see and reject, not a sentence end).
_SENTENCE_END = re.compile(r"[。;!]|(?<![\d.?\ufffd])\?(?![\d.?\ufffd])")
_FULL_STOP = re.compile(r"[。!]|(?<![\d.?\ufffd])\?(?![\d.?\ufffd])")


@dataclass(frozen=True)
class Sentence:
    paragraph: int  # 1-based paragraph number in the document
    index: int  # 1-based sentence number in the paragraph
    start: int  # offset of the sentence in the normalised paragraph
    text: str  # the sentence, with its closing punctuation
    group: int  # 1-based number of the full-stop sentence (。!?) it belongs to; `;` parts share it
    is_table_row: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


# ---- run-on text: paragraphs back ------------------------------------------------------------------------------
# Pages copied without their line breaks run the title, the section headings and the figure captions into the
# text. These patterns work on the raw text (fullwidth punctuation and ideographic spaces still there).
_NUMERAL = "一二三四五六七八九十"
_BREAK_BEFORE = re.compile(
    rf"(?:(?<=[。！!？?；;])|(?<=[。！!？?；;][ \t\u3000])|(?<=[^\S\n]))[ \t\u3000]*"
    rf"(?=[{_NUMERAL}]{{1,3}}、(?![{_NUMERAL}]、)|[（(][{_NUMERAL}]{{1,3}}[）)]|第[{_NUMERAL}]+部分)"
)
# 图2 三次产业比重 | 表1 2019-2023年地区生产总值及其增长速度 : a caption, ended by a space
_CAPTION = re.compile(
    r"(?:^|(?<=[。！!？?；;\s]))([图表附]\s*表?\s*\d{1,2}[\s:：.、]*"
    r"(?:(?:19|20)\d\d\s*[-—–~至]\s*(?:19|20)\d\d\s*年)?[^\s。；;，,]{1,40})(?=[ \t\u3000]+\S)"
)
_TITLE_RUN_IN = re.compile(
    r"^\s*(\S.{0,60}?(?:统计公报|統計公報|经济运行情况|經濟運行情況))"
    r"(?:\s*[（(][^（）()]{0,16}\d{4}\s*年\s*\d{1,2}\s*月[^（）()]{0,12}[）)])?(?=\s*\S)"
)
# 一、综合 初步核算,… : a heading, ended by a space
_HEADING_RUN_IN = re.compile(
    rf"^(?:[{_NUMERAL}]{{1,3}}、|[（(][{_NUMERAL}]{{1,3}}[）)]|第[{_NUMERAL}]+部分)"
    r"[^\s。；;，,:：\d]{1,14}(?=[ \t\u3000]+\S)"
)
# 首页 > 统计数据 > 统计公报 2023年…: the page's breadcrumbs, ended by a space after the last one
_BREADCRUMB_RUN_IN = re.compile(r"^\s*((?:[^>\s]{1,12}\s*[>›»]\s*){1,6}[^\s>›»]{1,20})\s+")
_RUN_ON_MIN = 120  # a paragraph shorter than this is a heading or a sentence, never a whole page


def split_run_on(raw: str) -> list[str]:
    """One raw paragraph → the paragraphs it runs together: the title (with its date in brackets), each section
    from its heading (一、综合 …, (一) …), each figure caption on its own. A short paragraph comes back as is."""
    if len(raw) < _RUN_ON_MIN:
        return [raw]
    pieces: list[str] = []
    crumbs = _BREADCRUMB_RUN_IN.match(raw)
    if crumbs:
        pieces.append(crumbs.group(1))
        raw = raw[crumbs.end() :]
    title = _TITLE_RUN_IN.match(raw)
    if title and len(raw) - title.end() > 20:
        pieces.append(raw[: title.end()])
        raw = raw[title.end() :]
    for part in _split_at(raw, [m.start() for m in _BREAK_BEFORE.finditer(raw)]):
        heading = _HEADING_RUN_IN.match(part)
        bounds = [heading.end()] if heading else []
        for m in _CAPTION.finditer(part):
            bounds += [m.start(1), m.end(1)]
        pieces.extend(_split_at(part, bounds))
    return [p.strip() for p in pieces if p.strip()]


def _split_at(text: str, cuts: list[int]) -> list[str]:
    out, start = [], 0
    for cut in sorted(set(cuts)):
        if cut > start:
            out.append(text[start:cut])
            start = cut
    out.append(text[start:])
    return out


def split_sentences(paragraph: str, paragraph_no: int) -> list[Sentence]:
    """Split one normalised paragraph. A table row `a | b | c` is one sentence."""
    if is_table_row(paragraph):
        return [Sentence(paragraph_no, 1, 0, paragraph, 1, True)]
    sentences: list[Sentence] = []
    start = 0
    group = 1
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.end()
        _append(sentences, paragraph, paragraph_no, start, end, group)
        if _FULL_STOP.fullmatch(match.group(0)):
            group += 1
        start = end
    _append(sentences, paragraph, paragraph_no, start, len(paragraph), group)
    return sentences


def _append(out: list[Sentence], paragraph: str, paragraph_no: int, start: int, end: int, group: int) -> None:
    chunk = paragraph[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    text = chunk.strip()
    if text and not _SENTENCE_END.fullmatch(text):
        out.append(Sentence(paragraph_no, len(out) + 1, start + lead, text, group))
