"""A plan outline file (.txt, .docx, .pdf, .html/.htm) → one outline text in the plan reader's layout, with the
place in the original file of every line. I/O at the edge; the converters are small functions of bytes.

The layout (ingest/plan_tables.py): a paragraph per line; a table row is one line per cell, each starting with a
tab, rows separated by blank lines; a table ends at the first line that is not a cell. Whatever the format, the
same outline gives the same lines, so the same records (tests/plan/test_formats.py).

- Word: body paragraphs and tables in document order (python-docx). A cell merged across columns counts once (a
  section row becomes one cell); a cell merged down rows is written on its first row and left empty below (a 类别
  cell spanning its group).
- PDF: per page, text lines and tables (pdfplumber, ruled tables) in reading order. A table continued on the next
  page (a 续表 line, a repeated header, a page number between) continues the same table.
- HTML: the bulletins' HTML reader (ingest/bulletins/readers.py) gives paragraphs and table rows as `a | b | c`.
- Text: UTF-8 (with or without BOM) or GB18030; anything else is an error, not a guess.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from planwatch_core.errors import InputError

FORMATS = {".txt": "text", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
SUFFIXES = tuple(FORMATS)
_CONTINUED = re.compile(r"^[（(]?\s*续(?:表|上表)?\s*\d*\s*[)）]?\s*$|^续表")
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*(?:第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})[\s\-—–]*$")


@dataclass(frozen=True)
class Outline:
    text: str
    format: str  # text · docx · pdf · html
    places: tuple[str, ...]  # place of each line (1-based line n → places[n - 1]) in the original file

    def place(self, line: int) -> str:
        if self.format == "text" or not 0 < line <= len(self.places):
            return f"line {line}"
        return self.places[line - 1]

    def locator(self, line: int) -> str:
        """The source locator of a record: `L12` in a text outline, `p3` / `t2r5` / `line 40` otherwise."""
        if self.format == "text":
            return f"L{line}"
        return self.place(line).replace(" ", "")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[str] = []

    def line(self, text: str, place: str) -> None:
        self.lines.append(text)
        self.places.append(place)

    def row(self, cells: list[str], place: str) -> None:
        if self.lines and self.lines[-1].startswith("\t"):
            self.line("", place)
        for cell in cells:
            self.line("\t" + _one_line(cell), place)

    def outline(self, fmt: str) -> Outline:
        return Outline("\n".join(self.lines) + "\n", fmt, tuple(self.places))


def _one_line(text: str | None) -> str:
    return re.sub(r"\s*\n\s*", "", text or "").strip()


# --- text ----------------------------------------------------------------------------------------------------


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (a BOM is tolerated) or GB18030, strictly: a byte that fits neither is an error, not a guess."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                file, f"byte {exc.start}", "not UTF-8 or GB18030 text", "save the plan as UTF-8 text"
            ) from exc


def text_outline(data: bytes, file: str) -> Outline:
    text = decode_text(data, file)
    return Outline(text, "text", ())


# --- Word ----------------------------------------------------------------------------------------------------


def docx_outline(data: bytes, file: str) -> Outline:
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise InputError(file, "file", f"not a readable Word document: {exc}", "re-save it as .docx") from exc
    out = _Writer()
    tables = paragraphs = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            previous: list = []
            for number, row in enumerate(item.rows, start=1):
                tcs = [cell._tc for cell in row.cells]
                cells: list[str] = []
                for position, cell in enumerate(row.cells):
                    if position > 0 and tcs[position] is tcs[position - 1]:
                        continue  # merged across columns: once
                    above = previous[position] if position < len(previous) else None
                    cells.append("" if above is tcs[position] else cell.text)  # merged down rows: first row only
                previous = tcs
                out.row(cells, f"table {tables} row {number}")
            out.line("", f"table {tables}")
        else:
            paragraphs += 1
            out.line(item.text, f"paragraph {paragraphs}")
    return out.outline("docx")


# --- PDF -----------------------------------------------------------------------------------------------------


def pdf_outline(data: bytes, file: str) -> Outline:
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return _pdf_outline(data)
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError) as exc:
        raise InputError(file, "file", f"not a readable PDF: {exc}", "re-export the plan as PDF or Word") from exc


def _pdf_outline(data: bytes) -> Outline:
    import pdfplumber

    out = _Writer()
    in_table = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page_number, page in enumerate(pdf.pages, start=1):
            place = f"page {page_number}"
            found = page.find_tables()
            boxes = [t.bbox for t in found]
            items: list[tuple[float, str, object]] = []
            for line in page.extract_text_lines(return_chars=False):
                middle = (line["top"] + line["bottom"]) / 2
                if not any(x0 <= line["x0"] <= x1 and top <= middle <= bottom for x0, top, x1, bottom in boxes):
                    items.append((line["top"], "text", line["text"]))
            for table in found:
                items.append((table.bbox[1], "table", table.extract()))
            for _top, kind, content in sorted(items, key=lambda item: item[0]):
                if kind == "text":
                    text = str(content).strip()
                    if in_table and (_CONTINUED.match(text) or _PAGE_NUMBER.match(text)):
                        continue  # between the parts of a table split over pages
                    if _PAGE_NUMBER.match(text):
                        continue
                    out.line(text, place)
                    in_table = False
                    continue
                for row in content:  # type: ignore[union-attr]
                    present = [c for c in row if c is not None]
                    cells = present if len(present) == 1 else [c or "" for c in row]
                    out.row([_one_line(c) for c in cells], place)
                in_table = True
    return out.outline("pdf")


# --- HTML ----------------------------------------------------------------------------------------------------


def html_outline(path: Path, file: str) -> Outline:
    from ingest.bulletins.readers import read_paragraphs

    out = _Writer()
    paragraphs = read_paragraphs(path)
    in_table = False
    for number, text in enumerate(paragraphs, start=1):
        place = f"paragraph {number}"
        if " | " in f" {text} " and "|" in text:
            out.row([cell.strip() for cell in text.split("|")], place)
            in_table = True
            continue
        following = paragraphs[number] if number < len(paragraphs) else ""
        if in_table and "|" in following and len(text) <= 40 and "。" not in text:
            out.row([text], place)  # a row of one cell spanning the table (a section row)
            continue
        out.line(text, place)
        in_table = False
    return out.outline("html")


def read_outline(path: Path) -> Outline:
    """The outline of a plan file, by its suffix; an unsupported or unreadable file is an InputError."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            path.name, "file", f"unsupported plan format {path.suffix!r}", f"give one of {', '.join(SUFFIXES)}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path.name, "file", f"cannot be read: {exc.strerror or exc}", "check the path") from exc
    if not data.strip():
        raise InputError(path.name, "file", "the file is empty", "give the plan outline")
    if fmt == "docx":
        return docx_outline(data, path.name)
    if fmt == "pdf":
        return pdf_outline(data, path.name)
    if fmt == "html":
        return html_outline(path, path.name)
    return text_outline(data, path.name)
