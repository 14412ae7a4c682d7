"""A 黔江区 15th-plan outline (2025 → 2030) written by the tests themselves: every figure is invented (测试数据).
Its table is laid out unlike 专栏2: a 类别 column filled on a group's first row only, a 单位 column, a 年均/累计
column, a 其中 sub-row, and a legend with 〔〕 and * (a 2024 baseline). `write_*` renders it to each format."""

from __future__ import annotations

import itertools
from pathlib import Path

TITLE = "重庆市黔江区国民经济和社会发展第十五个五年规划纲要（测试数据）"
INTRO = [
    "本纲要为测试数据，所有数字均为测试用虚构数字。",
    "第一章 发展基础",
    "“十四五”时期，全区经济社会发展取得新成效。",
]
TABLE_TITLE = "专栏1 “十五五”时期经济社会发展主要指标（测试数据）"
HEADER = ["类别", "序号", "指标", "单位", "2025年", "2030年", "年均/累计", "属性"]
# category (first row of its group only), seq, name, unit, 2025, 2030, 年均/累计, attribute
ROWS = [
    ["经济发展", "1", "地区生产总值增速", "%", "5.8", "－", "6△", "预期性"],
    ["", "2", "地区生产总值", "亿元", "300", "400", "", "预期性"],
    ["", "3", "城镇调查失业率", "%", "5.2", "≤5.5", "", "预期性"],
    ["", "", "其中：新增城镇就业人数", "万人", "－", "－", "〔2〕", "预期性"],
    ["民生福祉", "4", "居民人均可支配收入增速", "%", "6.1", "与经济增长基本同步", "", "预期性"],
    ["", "5", "人均预期寿命", "岁", "77.5*", "78.5", "", "预期性"],
    ["", "6", "每千人口拥有执业（助理）医师数", "人", "3", "3.5以上", "", "预期性"],
    ["绿色生态", "7", "单位地区生产总值能源消耗降低", "%", "－", "完成市下达任务", "", "约束性"],
    ["", "8", "森林覆盖率", "%", "66", "67", "", "约束性"],
    ["", "9", "城市空气质量优良天数比率", "%", "95", "≥95", "", "约束性"],
    ["安全保障", "10", "粮食综合生产能力", "万吨", "23", "≥23", "", "约束性"],
    ["", "11", "城乡居民收入比", "", "2.3:1", "2.1:1", "", "预期性"],
]
LEGEND = "注：〔 〕内为5年累计数；带△为五年平均数；带*的为2024年数据。"
OUTRO = ["第二章 发展目标", "到2030年，全区地区生产总值达到400亿元。"]


def text_outline() -> str:
    lines = [TITLE, *INTRO, TABLE_TITLE]
    for row in [HEADER, *ROWS]:
        lines += ["\t" + cell for cell in row] + [""]
    return "\n".join([*lines[:-1], LEGEND, *OUTRO]) + "\n"


def write_txt(path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes(text_outline().encode(encoding))
    return path


def write_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    for text in [TITLE, *INTRO, TABLE_TITLE]:
        document.add_paragraph(text)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for index, row in enumerate(ROWS, start=1):
        for column, text in enumerate(row):
            if column == 0 and not text:
                continue
            table.cell(index, column).text = text
    # the 类别 cells span their groups (merged down rows), as a Word table has them
    starts = [i for i, row in enumerate(ROWS, start=1) if row[0]] + [len(ROWS) + 1]
    for first, nxt in itertools.pairwise(starts):
        if nxt - 1 > first:
            table.cell(first, 0).merge(table.cell(nxt - 1, 0))
            table.cell(first, 0).text = ROWS[first - 1][0]
    for text in [LEGEND, *OUTRO]:
        document.add_paragraph(text)
    document.save(path)
    return path


def write_pdf_continued(path: Path) -> Path:
    """The table in two parts: page 1 ends after the first group, page 2 starts with a 续表 line and the header."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14)
    first_group = next(i for i, row in enumerate(ROWS) if i and row[0])
    story = [Paragraph(text, style) for text in [TITLE, *INTRO, TABLE_TITLE]]
    story += [_pdf_table(ROWS[:first_group]), Paragraph("- 1 -", style), PageBreak(), Paragraph("续表1", style)]
    story += [_pdf_table(ROWS[first_group:]), Paragraph(LEGEND, style), *(Paragraph(t, style) for t in OUTRO)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def _pdf_table(rows: list[list[str]]):
    from reportlab.platypus import Table, TableStyle

    table = Table([HEADER, *rows], repeatRows=1)
    commands = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    starts = [i for i, row in enumerate(rows, start=1) if row[0]] + [len(rows) + 1]
    for first, nxt in itertools.pairwise(starts):
        commands.append(("SPAN", (0, first), (0, nxt - 1)))
    table.setStyle(TableStyle(commands))
    return table


def write_pdf(path: Path, split: bool = True) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14)
    story = [Paragraph(text, style) for text in [TITLE, *INTRO]]
    if split:
        story.append(Spacer(1, 560))  # pushes the table down so that it continues on the next page
    story.append(Paragraph(TABLE_TITLE, style))
    table = Table([HEADER, *ROWS], repeatRows=1)
    commands = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    starts = [i for i, row in enumerate(ROWS, start=1) if row[0]] + [len(ROWS) + 1]
    for first, nxt in itertools.pairwise(starts):
        commands.append(("SPAN", (0, first), (0, nxt - 1)))
    table.setStyle(TableStyle(commands))
    story += [table, Paragraph(LEGEND, style), *(Paragraph(text, style) for text in OUTRO)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def write_html(path: Path) -> Path:
    starts = [i for i, row in enumerate(ROWS) if row[0]] + [len(ROWS)]
    spans = {first: nxt - first for first, nxt in itertools.pairwise(starts)}
    body = [f"<h1>{TITLE}</h1>", *(f"<p>{text}</p>" for text in INTRO), f"<p>{TABLE_TITLE}</p>", "<table border=1>"]
    body.append("<tr>" + "".join(f"<th>{cell}</th>" for cell in HEADER) + "</tr>")
    for index, row in enumerate(ROWS):
        cells = [f'<td rowspan="{spans[index]}">{row[0]}</td>'] if index in spans else []
        cells += [f"<td>{cell}</td>" for cell in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    body += ["</table>", f"<p>{LEGEND}</p>", *(f"<p>{text}</p>" for text in OUTRO)]
    html = f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>{"".join(body)}</body></html>'
    path.write_text(html, encoding="utf-8")
    return path
