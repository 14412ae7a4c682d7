"""Render an outline in the text layout (tab-cell tables) as a Word document or an HTML page, the way an office
would publish it: a row with fewer cells than the header spans its last cell over the remaining columns."""

from __future__ import annotations

import html
from pathlib import Path


def _blocks(text: str) -> list[tuple[str, object]]:
    """('p', line) and ('table', rows) in document order."""
    items: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    row: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            row.append(line[1:].strip())
            continue
        if row:
            rows.append(row)
            row = []
        if not line.strip() and rows:
            continue  # blank line between rows
        if rows:
            items.append(("table", rows))
            rows = []
        items.append(("p", line))
    if row:
        rows.append(row)
    if rows:
        items.append(("table", rows))
    return items


def write_docx(text: str, path: Path) -> Path:
    from docx import Document

    document = Document()
    for kind, content in _blocks(text):
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        rows = content  # type: ignore[assignment]
        width = max(len(cells) for cells in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            if len(cells) < width:
                table.cell(r, len(cells) - 1).merge(table.cell(r, width - 1))
            for c, cell in enumerate(cells):
                table.cell(r, c).text = cell
    document.save(path)
    return path


def write_html(text: str, path: Path) -> Path:
    parts = ['<html><head><meta charset="utf-8"></head><body>']
    for kind, content in _blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(str(content))}</p>")
            continue
        rows = content  # type: ignore[assignment]
        width = max(len(cells) for cells in rows)
        parts.append("<table border=1>")
        for cells in rows:
            tds = [f"<td>{html.escape(c)}</td>" for c in cells[:-1]]
            span = width - len(cells) + 1
            tds.append(f'<td colspan="{span}">{html.escape(cells[-1])}</td>')
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path
