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
