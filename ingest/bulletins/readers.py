"""Readers: one bulletin file (text, HTML, PDF, DOCX) → its paragraphs as raw text, in reading order.

Every way a whole file can be unreadable ends in `InputError` naming the file, the place and what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from planwatch_core.errors import InputError

# Characters frequent in bulletins: used to choose between candidate decodings (GB18030 decodes many
# Big5 or mangled byte strings "successfully" into nonsense).
_COMMON = set("年全区县市亿万元人增长比上下降产业总值生产收入公报统计其中为的和个百分点率以上规模工业投资消费")
_ENCODINGS = ("utf-8", "gb18030", "big5")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
_MAX_DAMAGE = 0.02  # share of undecodable characters above which a text file counts as wrongly encoded

_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "title",
    "caption",
)
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*(第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d{1,3})[\s\-—–]*$")
_SENTENCE_END = ("。", "!", "?", "！", "？", ";", "；", ":", "：")


def sniff_format(path: Path, data: bytes) -> str:
    """`pdf`, `docx`, `html` or `text`, from the content first and the extension second."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:2048].lower()
    if path.suffix.lower() in (".html", ".htm") or any(t in head for t in (b"<html", b"<!doctype", b"<body")):
        return "html"
    return "text"


def read_paragraphs(path: str | Path) -> list[str]:
    """Raw paragraphs of a bulletin file (not yet normalised); empty ones dropped."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, "file", f"cannot be read: {exc.strerror or exc}", "check the path") from exc
    if not data.strip():
        raise InputError(path, "file", "the file is empty", "re-export the bulletin; nothing to extract")
    fmt = sniff_format(path, data)
    reader = {"pdf": _read_pdf, "docx": _read_docx, "html": _read_html, "text": _read_text}[fmt]
    paragraphs = [p.strip() for p in reader(path, data) if p and p.strip()]
    if not paragraphs:
        raise InputError(path, "file", f"no text found in this {fmt} file", "is it a scan? OCR it first")
    return paragraphs


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5; a few damaged bytes become U+FFFD
    (the numbers they hit are rejected later), a file mostly undecodable or binary raises InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise InputError(
            path,
            f"byte {data.index(0)}",
            "binary data (NUL bytes): not a text bulletin",
            "export the bulletin as UTF-8 text, HTML, PDF or DOCX",
        )
    try:
        text = data.decode("utf-8")  # valid UTF-8 is never a coincidence for Chinese text
    except UnicodeDecodeError:
        text = _best_decoding(path, data)
    controls = len(_CONTROL.findall(text))
    if controls / max(len(text), 1) > 0.01:
        raise InputError(
            path,
            "file",
            "binary data (control characters): not a text bulletin",
            "export the bulletin as UTF-8 text, HTML, PDF or DOCX",
        )
    return text


def _best_decoding(path: Path, data: bytes) -> str:
    """The decoding (UTF-8 with a few damaged bytes, GB18030, Big5) that reads most like a bulletin."""
    best: tuple[float, str, str] | None = None
    for encoding in _ENCODINGS:
        text = data.decode(encoding, errors="replace")
        damage = text.count("\ufffd") / max(len(text), 1)
        sample = text[:20000]
        score = sum(map(_COMMON.__contains__, sample)) / max(len(sample), 1) - damage * 10
        if damage <= _MAX_DAMAGE and (best is None or score > best[0]):
            best = (score, encoding, text)
        if damage == 0 and encoding == "utf-8":
            break  # valid UTF-8 is never a coincidence for Chinese text
    if best is None:
        raise InputError(
            path,
            "file",
            "not valid UTF-8, GB18030 or Big5 text (too many undecodable bytes)",
            "re-save the file as UTF-8",
        )
    return best[2]


def _read_text(path: Path, data: bytes) -> list[str]:
    lines = decode_text(path, data).splitlines()
    return join_wrapped_lines(lines) if looks_wrapped(lines) else lines


_WRAPPED_SHARE = 0.3  # share of the long lines that stop mid-sentence, above which a text keeps a page's line breaks


def looks_wrapped(lines: list[str]) -> bool:
    """A text converted from a PDF with the printed line breaks kept: many lines of about the same, full
    length stop in the middle of a sentence (a paragraph per line ends with 。 or ; and varies in length)."""
    long_lines = [s for line in lines if len(s := line.strip()) >= 15 and "|" not in s]
    if len(long_lines) < 5:
        return False
    full = sorted(len(s) for s in long_lines)[int(len(long_lines) * 0.8)]
    cut = [s for s in long_lines if not s.endswith(_SENTENCE_END) and len(s) >= 0.75 * full]
    return len(cut) >= _WRAPPED_SHARE * len(long_lines)


def _html_charset(data: bytes) -> str | None:
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


_FLAT_TABLE = "data-planwatch-table"  # marks a data table already flattened into rows
_LAYOUT_CELL_CHARS = 150  # a data cell is a label or a number; running text in a cell means a layout table


def _is_layout_table(cells: list) -> bool:
    """A table used for page layout, not data: a cell holds running text (a long text or sentences) or a table
    flattened before it (a frame around a data table)."""
    for cell in cells:
        if cell.find(attrs={_FLAT_TABLE: True}) is not None:
            return True
        text = cell.get_text("", strip=True)
        if len(text) > _LAYOUT_CELL_CHARS or text.count("。") >= 2:
            return True
    return False


def _read_html(path: Path, data: bytes) -> list[str]:
    """Paragraphs of an HTML page: block elements and <br> end lines, scripts and styles go, the <head> gives only
    its <title>. Tables, innermost first: a data table's rows become `a | b | c` lines (so the header row still
    gives the columns); a layout table (the page's frame around the article, or a cell centring a data table) is
    only unwrapped, each of its cells a block of its own. Walks lxml's tree (C) rather than a BeautifulSoup copy."""
    import lxml.html
    from lxml import etree

    charset = _html_charset(data)
    text: str | None = None
    if charset:
        charset = {"gbk": "gb18030", "gb2312": "gb18030"}.get(charset, charset)
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(path, data)
    text = _XML_DECLARATION.sub("", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return text.splitlines()  # not markup after all (an empty document): its lines as they are
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()  # keeps the text that follows it
    out: list[str] = []
    _walk(root, out)
    return "".join(out).splitlines()


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = frozenset(_BLOCK_TAGS)


def _own(table, tags: tuple[str, ...]) -> list:
    """The `tags` elements of `table` that belong to it, not to a table nested in one of its cells."""
    return [e for e in table.iter(*tags) if next(e.iterancestors("table"), None) is table]


def _cell_text(cell, sep: str) -> str:
    return sep.join(s for s in (t.strip() for t in cell.itertext()) if s)


def _is_layout(table) -> bool:
    """A table used for page layout, not data: a cell holds running text (a long text or sentences) or another
    table."""
    for cell in _own(table, ("td", "th")):
        if next(cell.iter("table"), None) is not None:
            return True
        text = _cell_text(cell, "")
        if len(text) > _LAYOUT_CELL_CHARS or text.count("。") >= 2:
            return True
    return False


def _walk(el, out: list[str], cell_blocks: bool = False) -> None:
    """Append the text of `el` (not its tail) to `out`, with line breaks where blocks end."""
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None:
        return  # a comment or processing instruction
    if tag == "head":
        title = el.find(".//title")
        if title is not None:
            out.append(f"\n{_cell_text(title, ' ')}\n")
        return
    if tag == "table":
        if not _is_layout(el):
            rows = [" | ".join(_cell_text(c, " ") for c in tr if c.tag in ("td", "th")) for tr in _own(el, ("tr",))]
            rows = [r for r in rows if r.replace("|", "").strip()]
            out.append("\n" + "\n".join(rows) + "\n")
            return
        cell_blocks = True
    if tag == "br":
        out.append("\n")
        return
    block = tag in _BLOCKS or (cell_blocks and tag in ("td", "th"))
    if block:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out, (cell_blocks and tag != "td" and tag != "th") or tag == "table")
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n")


def _read_pdf(path: Path, data: bytes) -> list[str]:
    import pdfplumber

    lines: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page_no, page in enumerate(pdf.pages, start=1):
                try:
                    text = page.extract_text() or ""
                except Exception as exc:  # pdfminer raises many types on damaged streams
                    raise InputError(
                        path, f"page {page_no}", f"unreadable PDF page ({exc.__class__.__name__})", "re-export the PDF"
                    ) from exc
                lines.extend(line for line in text.splitlines() if not _PAGE_NUMBER.match(line))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            path,
            "file",
            f"not a readable PDF ({exc.__class__.__name__}: {exc})",
            "re-export the PDF or provide the text",
        ) from exc
    return join_wrapped_lines(lines)


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Rebuild paragraphs from visually wrapped lines (PDF): a line that does not end a sentence and is about
    as long as a full line continues on the next one. Table rows and short lines (headings) stand alone."""
    stripped = [line.strip() for line in lines if line.strip()]
    if not stripped:
        return []
    full = sorted(len(s) for s in stripped)[int(len(stripped) * 0.8)]  # a typical full line
    paragraphs: list[str] = []
    current = ""
    for line in stripped:
        if "|" in line:
            if current:
                paragraphs.append(current)
                current = ""
            paragraphs.append(line)
            continue
        current += line
        if line.endswith(_SENTENCE_END) or len(line) < 0.75 * full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _read_docx(path: Path, data: bytes) -> list[str]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            path,
            "file",
            f"not a readable DOCX ({exc.__class__.__name__}: {exc})",
            "open and re-save it in Word/WPS, or export as PDF",
        ) from exc
    except Exception as exc:  # python-docx/lxml raise a variety on a damaged package
        raise InputError(
            path, "file", f"not a readable DOCX ({exc.__class__.__name__})", "open and re-save it in Word/WPS"
        ) from exc
    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                seen: list[object] = []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):  # a merged cell is listed once per grid column
                        continue
                    seen.append(cell._tc)
                    cells.append(cell.text.strip())
                if any(cells):
                    out.append(" | ".join(cells))
    return out
