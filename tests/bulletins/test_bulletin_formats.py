"""Formats and broken files: PDF (built here with reportlab's CJK font), HTML in GBK, DOCX, corrupted input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.bulletins import extract_file
from planwatch_core.errors import InputError
from tests.bulletins.helpers import EXPECTED, FIXTURES, load_expected, mapped


def _values(result) -> dict[str, tuple[float | None, str, float | None]]:
    return {k: (fs[0].value, fs[0].unit, fs[0].growth_pct) for k, fs in mapped(result.figures).items()}


def build_pdf(text: str, path: Path, chars_per_line: int = 34) -> Path:
    """A bulletin PDF as an office suite would print it: CJK CID font, paragraphs wrapped over lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built-in CJK CID font, UniGB-UCS2-H encoding
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for page_line, paragraph in enumerate(text.splitlines()):
        chunks = [paragraph[i : i + chars_per_line] for i in range(0, len(paragraph), chars_per_line)] or [""]
        for chunk in chunks:
            if y < 60:
                pdf.setFont("STSong-Light", 9)
                pdf.drawString(290, 30, str(pdf.getPageNumber()))  # a page number, not a figure
                pdf.showPage()
                y = 800
            pdf.setFont("STSong-Light", 11)
            pdf.drawString(50, y, chunk)
            y -= 18
        y -= 6 if page_line else 12
    pdf.save()
    return path


def test_pdf_reads_like_its_text(tmp_path: Path) -> None:
    source = FIXTURES / "qj2015_pdf_source.txt"
    pdf = build_pdf(source.read_text(encoding="utf-8"), tmp_path / "qj2015.pdf")
    from_pdf = extract_file(pdf)
    from_text = extract_file(source)
    expected = load_expected(EXPECTED / "qj2015_pdf_source.yaml")
    assert (from_pdf.region_zh, from_pdf.year, from_pdf.period) == ("黔江区", 2015, "annual")
    assert _values(from_pdf) == _values(from_text)
    assert sorted(_values(from_pdf)) == sorted(expected["figures"])
    assert from_pdf.document_id == "qj2015.pdf"


def test_pdf_page_break_inside_a_paragraph(tmp_path: Path) -> None:
    filler = "全区经济运行总体平稳，发展质量稳步提升，民生保障持续加强。" * 3
    lines = ["2015年黔江区国民经济和社会发展统计公报"] + [filler] * 14
    lines.append("全年实现地区生产总值202.5亿元，比上年增长11.2%。年末常住人口45.9万人。")
    pdf = build_pdf("\n".join(lines), tmp_path / "long.pdf")
    values = _values(extract_file(pdf))
    assert values["gdp"] == (202.5, "亿元", 11.2)
    assert values["population_resident"] == (45.9, "万人", None)


def test_html_in_gbk_with_meta_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>'
        "<p>2023年黔江区国民经济和社会发展统计公报</p>"
        "<p>全年实现地区生产总值<strong>268.35</strong>亿元，比上年增长5.2%。</p></body></html>"
    )
    path = tmp_path / "gbk.htm"
    path.write_bytes(html.encode("gbk"))
    assert _values(extract_file(path))["gdp"] == (268.35, "亿元", 5.2)


def test_docx_fixture_is_what_the_script_builds(tmp_path: Path) -> None:
    from tests.bulletins.make_docx_fixture import build

    rebuilt = extract_file(build(tmp_path / "qj2016_report.docx"))
    committed = extract_file(FIXTURES / "qj2016_report.docx")
    assert _values(rebuilt) == _values(committed)
    assert _values(committed)["retail_sales"] == (86.21, "亿元", 12.4)


def test_format_is_sniffed_from_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "bulletin.dat"
    shutil.copy(FIXTURES / "qj2016_report.docx", renamed)
    assert _values(extract_file(renamed))["gdp"] == (211.5, "亿元", 10.1)


@pytest.mark.parametrize(
    ("name", "place", "reason"),
    [
        ("corrupt_empty.txt", "file", "empty"),
        ("corrupt_binary.txt", "byte", "binary data"),
        ("corrupt_encoding.txt", "file", "not valid UTF-8, GB18030 or Big5"),
    ],
)
def test_corrupted_file_raises_input_error_naming_file_place_reason_hint(name: str, place: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        extract_file(FIXTURES / name)
    error = caught.value
    assert error.file.endswith(name)
    assert error.place.startswith(place)
    assert reason in error.reason
    assert error.hint  # what to do next


def test_broken_pdf_and_docx_raise_input_error(tmp_path: Path) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"\x8f garbage " * 200)
    docx = tmp_path / "broken.docx"
    docx.write_bytes(b"PK\x03\x04" + b"not really a zip" * 50)
    for path in (pdf, docx):
        with pytest.raises(InputError) as caught:
            extract_file(path)
        assert caught.value.file == str(path)
        assert caught.value.hint


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        extract_file(tmp_path / "nope.txt")


def test_overrides_win_over_the_title() -> None:
    result = extract_file(FIXTURES / "qj2023_q1q3_body.txt", document_id="doc-7", region_zh="黔江区", year=2023)
    assert (result.document_id, result.year, result.region_code) == ("doc-7", 2023, "500114")
    assert all(f.year == 2023 and f.locator.startswith("doc-7:p") for f in result.figures)


def test_html_page_with_menus_before_the_title(tmp_path: Path) -> None:
    html = (
        "<html><body><ul><li>首页</li><li>统计数据</li><li>统计公报</li></ul>"
        "<div>当前位置: 首页 &gt; 统计公报</div>"
        "<h2>2023年黔江区国民经济和社会发展统计公报</h2>"
        "<p>全年实现地区生产总值268.35亿元，比上年增长5.2%。</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    result = extract_file(path)
    assert (result.region_zh, result.year, result.period) == ("黔江区", 2023, "annual")
    assert _values(result)["gdp"] == (268.35, "亿元", 5.2)


def test_utf8_file_with_a_broken_byte_inside_a_number(tmp_path: Path) -> None:
    text = "2023年黔江区国民经济和社会发展统计公报\n全年实现地区生产总值268.35亿元。年末常住人口4{}.62万人。\n"
    path = tmp_path / "broken_byte.txt"
    path.write_bytes(text.encode("utf-8").replace(b"{}", b"\xff"))
    result = extract_file(path)
    assert _values(result) == {"gdp": (268.35, "亿元", None)}
    (rejection,) = result.rejections
    assert rejection.locator == "broken_byte.txt:p2:s2:c25-32" and "encoding" in rejection.reason
