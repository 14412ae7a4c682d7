"""Builds tests/bulletins/fixtures/qj2016_report.docx (committed; run again after changing the text):

    uv run python tests/bulletins/make_docx_fixture.py

Invented figures for tests only. Paragraphs and one table, so the DOCX reader's reading order is tested.
"""

from __future__ import annotations

from pathlib import Path

import docx

OUT = Path(__file__).parent / "fixtures" / "qj2016_report.docx"

PARAGRAPHS_BEFORE = [
    "2016年黔江区国民经济和社会发展统计公报",
    "（测试用虚构数据，DOCX 格式）",
    "一、综合",
    "全年实现地区生产总值211.5亿元，比上年增长10.1%。按常住人口计算，人均地区生产总值44 210元，增长9.4%。",
    "表1 主要指标",
]
TABLE = [
    ["指标", "单位", "绝对数", "比上年增长(%)"],
    ["一般公共预算收入", "亿元", "17.86", "6.2"],
    ["社会消费品零售总额", "万元", "862100", "12.4"],
    ["城镇登记失业率", "%", "3.6", ""],
]
PARAGRAPHS_AFTER = [
    "全年接待游客1 003万人次，实现旅游综合收入42.7亿元。",
    "年末全区森林覆盖率58.4%。",
]


def build(path: Path = OUT) -> Path:
    document = docx.Document()
    for text in PARAGRAPHS_BEFORE:
        document.add_paragraph(text)
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for text in PARAGRAPHS_AFTER:
        document.add_paragraph(text)
    document.core_properties.author = "planwatch tests"
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
