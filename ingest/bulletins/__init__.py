"""Statistical-bulletin reader (统计公报): files → figures, each traceable to the sentence it came from.

from ingest.bulletins import extract_file, figures_frame
result = extract_file("2023年黔江区统计公报.pdf")
frame = figures_frame([result])
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.bulletins.aliases import DEFAULT_ALIAS_FILE, load_aliases
from ingest.bulletins.document import read_document_info
from ingest.bulletins.extract import build_figures, extract_items
from ingest.bulletins.model import BulletinFigure, ExtractionResult, Rejection
from ingest.bulletins.normalize import normalise_paragraph
from ingest.bulletins.readers import read_paragraphs
from ingest.bulletins.region import resolve
from ingest.bulletins.segment import split_run_on
from ingest.bulletins.tables import rebuild_cell_tables

__all__ = [
    "BulletinFigure",
    "ExtractionResult",
    "Rejection",
    "extract_file",
    "extract_paragraphs",
    "figures_frame",
    "normalised_paragraphs",
]

FRAME_COLUMNS = [
    "region_code",
    "region_zh",
    "year",
    "period",
    "metric_key",
    "label_zh",
    "value",
    "unit",
    "raw_value_text",
    "raw_unit",
    "growth_pct",
    "growth_basis",
    "document_id",
    "locator",
    "excerpt",
]


def extract_paragraphs(
    raw_paragraphs: list[str],
    document_id: str,
    region_zh: str | None = None,
    year: int | None = None,
    alias_file: str | Path = DEFAULT_ALIAS_FILE,
) -> ExtractionResult:
    """The pure core: raw paragraphs (as read from any format) → figures. `region_zh` (a name or code of the
    region table) and `year` override what the title says. Region names are resolved through the region table of
    the catalog folder that holds `alias_file` (ingest/regions.py)."""
    aliases = load_aliases(alias_file)
    paragraphs = _prepared(raw_paragraphs)
    info = read_document_info(paragraphs, aliases.catalog_dir)
    named = resolve(region_zh, "", aliases.catalog_dir) if region_zh else info.region
    region = named.name_zh if named else None
    the_year = year if year is not None else info.year
    doc = extract_items(paragraphs, document_id, region, the_year, aliases)
    return ExtractionResult(
        document_id=document_id,
        region_zh=region,
        region_code=named.code if named else None,
        region_shared_by=named.shared_by if named else (),
        year=the_year,
        period=info.period,
        figures=build_figures(doc, aliases, info.period),
        rejections=list(doc.rejections),
        title=info.title,
    )


def normalised_paragraphs(path: str | Path) -> list[str]:
    """The paragraphs that locators count (`p<n>` is the n-th, 1-based) and whose offsets `c<a>-<b>` index."""
    return _prepared(read_paragraphs(path))


def _prepared(raw_paragraphs: list[str]) -> list[str]:
    """Normalised paragraphs: a page run together is split at its title, headings and captions first; tables
    written one cell per line are put back into rows."""
    pieces = (normalise_paragraph(piece) for raw in raw_paragraphs for piece in split_run_on(raw))
    return rebuild_cell_tables([p for p in pieces if p])


def extract_file(
    path: str | Path,
    document_id: str | None = None,
    region_zh: str | None = None,
    year: int | None = None,
    alias_file: str | Path = DEFAULT_ALIAS_FILE,
) -> ExtractionResult:
    """Read one bulletin (text, HTML, PDF or DOCX). Raises `InputError` when the file cannot be read at all."""
    path = Path(path)
    return extract_paragraphs(read_paragraphs(path), document_id or path.name, region_zh, year, alias_file)


def figures_frame(results: list[ExtractionResult]) -> pd.DataFrame:
    """One row per figure of every result, with the region code and document id beside it."""
    rows = [
        {
            "region_code": r.region_code,
            "region_zh": f.region_zh,
            "year": f.year,
            "period": f.period,
            "metric_key": f.metric_key,
            "label_zh": f.label_zh,
            "value": f.value,
            "unit": f.unit,
            "raw_value_text": f.raw_value_text,
            "raw_unit": f.raw_unit,
            "growth_pct": f.growth_pct,
            "growth_basis": f.growth_basis,
            "document_id": r.document_id,
            "locator": f.locator,
            "excerpt": f.excerpt,
        }
        for r in results
        for f in r.figures
    ]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.astype({"year": "Int64", "value": "Float64", "growth_pct": "Float64"})
