"""Issue 11: one outline in four formats gives the same records; column roles, legend rules, the new notation,
row quarantine, every region, and the catalog draft. The outline is the tests' own (outline15.py, 测试数据)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ingest.catalog_draft import draft_entries, draft_yaml, pending_fields
from ingest.notation import parse_target, read_legend
from ingest.plan_document import parse_plan_document, read_plan_file, target_records
from ingest.plan_tables import read_tables
from ingest.regions import detect_region, lookup, region_for
from ingest.themes import load_theme_rules
from planwatch_core.errors import InputError

sys.path.insert(0, str(Path(__file__).parent))
import outline15

REPO = Path(__file__).resolve().parents[2]
REGIONS = REPO / "catalog" / "regions.yaml"
THEMES = load_theme_rules(REPO / "catalog" / "themes.yaml")


def _records(path: Path) -> list[dict]:
    records = target_records(read_plan_file(path, REGIONS), THEMES)
    return [{k: v for k, v in r.items() if k not in ("source_locator", "source_document")} for r in records]


@pytest.fixture(scope="module")
def outlines(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("outlines")
    return {
        "txt": outline15.write_txt(folder / "q15.txt"),
        "gb18030": outline15.write_txt(folder / "q15_gb.txt", "gb18030"),
        "docx": outline15.write_docx(folder / "q15.docx"),
        "pdf": outline15.write_pdf(folder / "q15.pdf"),
        "pdf_continued": outline15.write_pdf_continued(folder / "q15_continued.pdf"),
        "html": outline15.write_html(folder / "q15.html"),
    }


def test_every_format_gives_the_same_records(outlines):
    expected = _records(outlines["txt"])
    assert len(expected) == 13  # 12 table rows and the narrative target of the body text (to 2030, not vision)
    assert [(r["kind"], r["name_zh"], r["target_value"]) for r in expected][-1] == ("narrative", "地区生产总值", 400.0)
    for fmt in ("gb18030", "docx", "pdf", "pdf_continued", "html"):
        assert _records(outlines[fmt]) == expected, fmt


def test_pdf_table_continues_over_pages(outlines):
    import pdfplumber

    with pdfplumber.open(outlines["pdf"]) as pdf:
        assert len(pdf.pages) >= 2  # the table is split, its header repeated on the next page
        assert "序号" in pdf.pages[1].extract_text()
    assert len(_records(outlines["pdf"])) == 13


def test_locators_name_the_place_in_each_format(outlines):
    docx = target_records(read_plan_file(outlines["docx"], REGIONS), THEMES)
    pdf = target_records(read_plan_file(outlines["pdf"], REGIONS), THEMES)
    assert docx[0]["source_locator"] == "q15.docx:table1row2"
    assert pdf[-2]["source_locator"].startswith("q15.pdf:page2")


def test_column_roles_and_legend(outlines):
    rows = {r["indicator_id"]: r for r in _records(outlines["txt"]) if r["kind"] == "table"}
    gdp_growth = rows["qianjiang-15th-01"]  # target only in the 年均/累计 column: 6△
    assert (gdp_growth["target_value"], gdp_growth["target_aggregation"], gdp_growth["unit"]) == (6.0, "average", "%")
    assert gdp_growth["section_zh"] == "经济发展" and gdp_growth["theme_code"] == "hqd"
    assert rows["qianjiang-15th-02"]["section_zh"] == "经济发展"  # the 类别 cell of the group's first row
    jobs = rows["qianjiang-15th-03.1"]  # 其中 sub-row, 〔2〕 cumulative per the legend
    assert (jobs["parent_seq"], jobs["target_value"], jobs["target_aggregation"]) == (3, 2.0, "cumulative")
    life = rows["qianjiang-15th-05"]  # 77.5*: the legend says * is 2024 data
    assert (life["baseline_year"], life["baseline_value"], life["unit"]) == (2024, 77.5, "岁")
    assert rows["qianjiang-15th-06"]["section_zh"] == "民生福祉" and rows["qianjiang-15th-06"]["theme_code"] == "hql"
    assert rows["qianjiang-15th-04"]["target_comparator"] == "relative_approx"
    assert rows["qianjiang-15th-04"]["target_relative_to"] == "qianjiang-15th-01"  # 与经济增长…: the GDP growth row
    assert rows["qianjiang-15th-07"]["target_comparator"] == "qualitative"
    assert rows["qianjiang-15th-03"]["direction_proposed"] == -1  # ≤5.5
    assert rows["qianjiang-15th-10"]["theme_code"] == "safe"
    assert {r["plan_id"] for r in rows.values()} == {"qianjiang-15th"}
    assert {(r["baseline_year"], r["target_year"]) for r in rows.values()} >= {(2025, 2030)}


def test_further_target_column_is_a_target_of_its_own():
    text = (
        "重庆市黔江区国民经济和社会发展第十五个五年规划纲要\n专栏1 主要指标\n"
        + "".join("\t" + c + "\n" for c in ["序号", "指标名称", "基期", "2030年", "2035年", "指标属性"])
        + "\n"
        + "".join("\t" + c + "\n" for c in ["1", "常住人口城镇化率（%）", "60", "65", "70", "预期性"])
    )
    region = lookup("黔江区").region
    rows = target_records(parse_plan_document(text, "t.txt", region), THEMES)
    assert [(r["indicator_id"], r["target_year"], r["target_value"]) for r in rows] == [
        ("qianjiang-15th-01", 2030, 65.0),
        ("qianjiang-15th-01-y2035", 2035, 70.0),
    ]


@pytest.mark.parametrize(
    ("legend", "cell", "aggregation", "year"),
    [
        ("注：〔 〕内为5年累计数", "〔30〕", "cumulative", None),
        ("备注：带△为五年平均数", "6△", "average", None),
        ("注：带▲的为五年年均数", "6▲", "average", None),
        ("注：带*的为2019年数据", "12*", "final_year", 2019),
        ("注：[ ]内为五年累计数", "[5]", "cumulative", None),
    ],
)
def test_legend_decides_the_marks(legend, cell, aggregation, year):
    parsed = parse_target(cell, read_legend(legend))
    assert parsed.aggregation == aggregation
    assert read_legend(legend).year_of(parsed.marks) == year


def test_mark_the_document_does_not_define_is_rejected():
    with pytest.raises(ValueError):
        parse_target("12*")  # no legend: * means nothing built in


@pytest.mark.parametrize(
    ("cell", "value", "comparator", "relative_to"),
    [
        ("高于GDP增长", None, "relative_gt", "GDP"),
        ("与经济增长基本同步", None, "relative_approx", "经济"),
        ("保持在合理区间", None, "qualitative", None),
        ("完成市下达任务", None, "qualitative", None),
        ("不高于5", 5.0, "le", None),
        ("3以下", 3.0, "le", None),
        (">90", 90.0, "gt", None),
    ],
)
def test_new_notation(cell, value, comparator, relative_to):
    parsed = parse_target(cell)
    assert (parsed.value, parsed.comparator, parsed.relative_to) == (value, comparator, relative_to)


def test_bad_row_is_quarantined_and_the_rest_lands(outlines):
    text = outline15.text_outline().replace("\t≥23\n", "\t约23吨\n")
    region = lookup("500114").region
    result = read_tables(text, "bad.txt", region, 15)
    assert len(result.rows) == 11
    [rejection] = result.rejections
    assert rejection.place.startswith("line ") and "约23吨" in rejection.reason
    assert "粮食综合生产能力" in rejection.excerpt
    document = parse_plan_document(text, "bad.txt", region)
    assert len(document.rows) == 11 and len(document.rejections) == 1


def test_document_without_a_table_says_so():
    with pytest.raises(InputError, match="no indicator table found"):
        parse_plan_document("重庆市黔江区“十五五”规划纲要\n正文一段。\n", "none.txt", lookup("黔江区").region)


def test_regions():
    assert lookup("石柱县").code == "500240" and lookup("石柱县").name_zh == "石柱土家族自治县"
    assert lookup("黔江").slug == "qianjiang" and lookup("qianjiang").code == "500114"
    assert lookup("全国").code == "100000" and lookup("中华人民共和国").level == "nation"
    assert lookup("潜江市").slug == "qianjiang-429005"  # a shared slug keeps its code; 黔江区's is pinned
    assert lookup("朝阳区") is None  # two 朝阳区: ambiguous without a parent
    assert detect_region("北京市朝阳区“十五五”规划").code == "110105"
    assert detect_region("中华人民共和国国民经济和社会发展第十五个五年规划纲要").code == "100000"
    assert detect_region("重庆市黔江区国民经济和社会发展第十五个五年规划纲要").code == "500114"
    assert detect_region("石柱县“十五五”规划纲要").slug == "shizhu"
    assert detect_region("某某规划纲要") is None
    assert region_for("无地名的标题", "x.txt", override="石柱县").code == "500240"
    with pytest.raises(InputError, match="--region"):
        region_for("无地名的标题", "x.txt")


def test_catalog_draft_proposes_every_field(outlines):
    records = target_records(read_plan_file(outlines["docx"], REGIONS), THEMES)
    aliases = yaml.safe_load((REPO / "catalog" / "metric_aliases.yaml").read_text(encoding="utf-8"))
    entries = draft_entries(records, set(), aliases)
    assert len(entries) == 12
    by_id = {e["id"]: e for e in entries}
    assert by_id["qianjiang-15th-02"]["actual"]["value"] == {"kind": "metric", "metric": "gdp"}
    assert by_id["qianjiang-15th-01"]["actual"]["value"] == {"kind": "metric", "metric": "gdp_growth"}
    assert by_id["qianjiang-15th-03"]["direction"]["value"] == -1
    assert by_id["qianjiang-15th-03.1"]["accumulation"]["value"] == "sum"
    assert by_id["qianjiang-15th-02"]["path"]["value"] == "geometric"
    assert by_id["qianjiang-15th-08"]["plausible"]["value"] == [0, 100]
    text = draft_yaml("q15.docx", entries)
    assert len(pending_fields(text)) == 12 * 8
    reviewed = text.replace("status: proposed", "status: reviewed", 1)
    assert len(pending_fields(reviewed)) == 12 * 8 - 1


def test_parse_plan_cli_with_region_override(tmp_path):
    path = tmp_path / "outline.txt"
    path.write_text(outline15.text_outline().replace(outline15.TITLE, "第十五个五年规划纲要（测试数据）"), "utf-8")
    run = [sys.executable, "-m", "planwatch.cli", "parse-plan", str(path), "--format", "json"]
    failed = subprocess.run(run, capture_output=True, text=True, cwd=REPO)
    assert failed.returncode != 0 and "--region" in failed.stderr
    done = subprocess.run([*run, "--region", "石柱县"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert '"plan_id": "shizhu-15th"' in done.stdout


def test_region_table_is_the_generators_output(tmp_path):
    """catalog/regions_cn.csv is exactly what `python -m ingest.region_table` writes from the pinned package."""
    from ingest.region_table import generate, write

    pinned = {str(r["code"]): str(r["slug"]) for r in yaml.safe_load(REGIONS.read_text(encoding="utf-8"))["regions"]}
    write(tmp_path / "regions_cn.csv", generate(pinned))
    assert (tmp_path / "regions_cn.csv").read_text("utf-8") == (REPO / "catalog" / "regions_cn.csv").read_text("utf-8")


def test_the_14th_outline_as_word_and_html_gives_its_records(tmp_path):
    """The seed's own outline (专栏1 and 专栏2 with their section rows) saved as a Word table and as a web page."""
    import render

    source = REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt"
    expected = _records(source)
    text = source.read_text(encoding="utf-8")
    docx = _records(render.write_docx(text, tmp_path / "q14.docx"))
    assert docx == expected
    page = _records(render.write_html(text, tmp_path / "q14.html"))
    tables = [r for r in expected if r["kind"] == "table"]
    assert [r for r in page if r["kind"] == "table"] == tables
    assert len([r for r in tables if r["plan_id"] == "qianjiang-14th"]) == 27
    # prose: the same targets; an HTML page loses the text's indentation, which only the chapter label reads
    assert [(r["name_zh"], r["target_value"]) for r in page] == [(r["name_zh"], r["target_value"]) for r in expected]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.4 not really a pdf", "not a readable PDF"),
        ("broken.docx", b"not a zip", "not a readable Word document"),
        ("plan.doc", b"old word", "unsupported plan format '.doc'"),
        ("latin1.txt", "Région".encode("latin-1") + b"\xff\xfe\xfd", "not UTF-8 or GB18030"),
    ],
)
def test_unreadable_files_say_what_to_do(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        read_plan_file(path, REGIONS)
    assert caught.value.file == name


def _one_table(header: list[str], *rows: list[str]) -> str:
    lines = ["重庆市黔江区国民经济和社会发展第十五个五年规划纲要（测试数据）", "专栏1 主要指标"]
    for row in [header, *rows]:
        lines += ["\t" + cell for cell in row] + [""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "主要指标", "计量单位", "现状值", "2030年目标值", "指标属性"],
        ["领域", "序号", "指标名称（单位）", "单位", "2025年基期", "2030年", "属性"],
        ["编号", "指标", "单位", "2025年", "目标值", "属性", "备注"],
    ],
)
def test_header_variants_are_read_by_role(header):
    cells = {
        "序号": "1",
        "编号": "1",
        "领域": "经济发展",
        "主要指标": "森林覆盖率",
        "指标名称（单位）": "森林覆盖率",
        "指标": "森林覆盖率",
        "计量单位": "%",
        "单位": "%",
        "现状值": "66",
        "2025年基期": "66",
        "2025年": "66",
        "2030年目标值": "67",
        "2030年": "67",
        "目标值": "67",
        "指标属性": "约束性",
        "属性": "约束性",
        "备注": "测试数据",
    }
    region = lookup("黔江区").region
    [row] = read_tables(_one_table(header, [cells[h] for h in header]), "t.txt", region, 15).rows
    assert (row.name_zh, row.unit, row.baseline.value, row.target.value, row.attribute) == (
        "森林覆盖率",
        "%",
        66.0,
        67.0,
        "binding",
    )
    assert (row.plan.base_year, row.plan.target_year) == (2025, 2030)


@pytest.mark.parametrize(
    ("header", "cell", "value", "aggregation"),
    [
        ("年均/累计", "年均6", 6.0, "average"),
        ("年均/累计", "累计30", 30.0, "cumulative"),
        ("年均/累计", "〔30〕", 30.0, "cumulative"),
        ("“十五五”年均增长", "6", 6.0, "average"),
        ("五年累计", "30", 30.0, "cumulative"),
    ],
)
def test_aggregate_column(header, cell, value, aggregation):
    table = _one_table(
        ["序号", "指标", "单位", "2025年", "2030年", header, "属性"],
        ["1", "城镇新增就业人数", "万人", "－", "－", cell, "预期性"],
    )
    [row] = read_tables(table, "t.txt", lookup("黔江区").region, 15).rows
    assert (row.target.value, row.target.aggregation) == (value, aggregation)


def test_aggregate_cell_that_says_neither_is_rejected():
    table = _one_table(
        ["序号", "指标", "单位", "2025年", "2030年", "年均/累计", "属性"],
        ["1", "城镇新增就业人数", "万人", "－", "－", "6", "预期性"],
    )
    result = read_tables(table, "t.txt", lookup("黔江区").region, 15)
    assert not result.rows
    assert "neither 年均 nor 累计" in result.rejections[0].reason
