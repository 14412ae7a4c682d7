"""Hostile and careless inputs (issue 16): every bad file or row is quarantined or rejected with a reason naming
file, place and what to do, and the rest of the inbox lands. The bad files are written here. Landing only; the
end-to-end publish (blocking check, nothing implausible current) is in test_inbox_hardening_build.py."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from ingest.figures import load_figure_names
from ingest.guard import Limits, guarded
from ingest.landing import land_inputs
from ingest.plausibility import load_gate
from ingest.published import read_published
from planwatch_core.errors import InputError
from planwatch_core.paths import Paths
from tests.conftest import empty_installation

REPO = Path(__file__).resolve().parent.parent
OUTLINE = REPO / "inbox" / "plans" / "qianjiang_14th_fyp_outline.txt"
TODAY = date(2026, 6, 1)
GATE = load_gate(None, TODAY)
NAMES = load_figure_names(REPO / "catalog" / "figure_names.yaml")
PUB_HEADER = "region_code,year,indicator_zh,value,unit,value_kind,note,source_kind,source_url\n"
URL = "https://www.qianjiang.gov.cn/zwgk/tjxx/202503/t20250320_1.html"
SUB_HEADER = "region_code,indicator_id,indicator_name,year,value,unit,source,note\n"
GOOD_SUB = "500114,qianjiang-14th-14,寿命,2022,76.4,年,区卫生健康委,\n"


def _quiet(_: str) -> None:
    pass


@pytest.fixture
def install(tmp_path) -> Paths:
    return empty_installation(tmp_path)


def _land(paths: Paths, log: list[str] | None = None):
    return land_inputs(paths, progress=(log.append if log is not None else _quiet), today=TODAY)


def _manifest(paths: Paths) -> dict[str, dict]:
    return {r["file_name"]: r for r in pq.read_table(paths.landing / "input_files").to_pylist()}


def _rejections(paths: Paths) -> list[dict]:
    return pq.read_table(paths.landing / "rejections").to_pylist()


def _table(paths: Paths, name: str) -> list[dict]:
    return pq.read_table(paths.landing / name).to_pylist()


# --- published figures: impossible numbers and broken rows ------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"500114,2023,地区生产总值,NaN,亿元,reported,,bulletin,{URL}", "not a finite number"),
        (f"500114,2023,地区生产总值,inf,亿元,reported,,bulletin,{URL}", "not a finite number"),
        (f"500114,2023,地区生产总值,-inf,亿元,reported,,bulletin,{URL}", "not a finite number"),
        (f"500114,2023,地区生产总值,1e308,亿元,reported,,bulletin,{URL}", "larger than any real figure"),
        (f"500114,2023,地区生产总值,-5,亿元,reported,,bulletin,{URL}", "outside the plausible range 0–∞"),
        (f"500114,2023,地区生产总值增速,-120,%,reported,,bulletin,{URL}", "outside the plausible range -100–1000"),
        ("500114,2023,地区生产总值,100,亿元,reported,,bulletin,https://", "not a web address with a host"),
        (f"500114,2030,地区生产总值,500,亿元,reported,,bulletin,{URL}", "year 2030 is after the current year 2026"),
        (f"500114,2023.5,地区生产总值,500,亿元,reported,,bulletin,{URL}", "is not a year"),
        ("500114,2023,地区生产总值", "the row has no cells for value"),
        (f"500114,2023,地区生产总值,1,亿元,reported,{'x' * 131_073},bulletin,{URL}", "a cell of 131,073 characters"),
    ],
)
def test_published_rows_with_impossible_numbers_are_rejected(row, reason):
    good = f"500114,2022,地区生产总值,300.5,亿元,reported,,bulletin,{URL}\n"
    figures, rejections = read_published((PUB_HEADER + good + row + "\n").encode(), "pub.csv", NAMES, GATE)
    assert [f["value"] for f in figures] == [300.5]  # the good row lands
    (rejection,) = rejections
    assert rejection["place"] == "row 3" and reason in rejection["reason"], rejection


def test_published_file_with_bad_rows_lands_its_good_rows(install):
    body = (
        f"500114,2022,地区生产总值,300.5,亿元,reported,,bulletin,{URL}\n"
        f"500114,2023,地区生产总值,nan,亿元,reported,,bulletin,{URL}\n"
        "500114,2023,地区生产总值\n"
        f"500114,2023,地区生产总值,1,亿元,reported,{'y' * 131_073},bulletin,{URL}\n"
    )
    (install.inbox / "published" / "pub.csv").write_text(PUB_HEADER + body, encoding="utf-8")
    _land(install)
    assert _manifest(install)["pub.csv"]["status"] == "loaded"
    assert [f["value"] for f in _table(install, "published_figures")] == [300.5]
    assert sorted(r["place"] for r in _rejections(install)) == ["row 3", "row 4", "row 5"]


# --- bulletins: impossible figures, a bulletin from the future ---------------------------------------------------

BULLETIN = (
    "{year}年黔江区国民经济和社会发展统计公报\n重庆市黔江区统计局\n一、综合\n"
    "初步核算，全年全区实现地区生产总值401.2亿元，按可比价格计算，比上年增长5.6%。\n"
    "年末全区常住人口-48.70万人，常住人口城镇化率为155.11%。\n三、卫生和环境\n"
    "年末全区共有执业（助理）医师1520人。全年森林覆盖率为-3.2%。全年城区空气质量优良天数999天。\n"
)


def test_bulletin_figures_outside_their_ranges_are_rejected_figures(install):
    (install.inbox / "bulletins" / "2024年黔江区统计公报.txt").write_text(BULLETIN.format(year=2024), "utf-8")
    _land(install)
    landed = {f["metric_key"]: f["value"] for f in _table(install, "bulletin_figures")}
    assert landed == {"gdp": 401.2, "gdp_growth": 5.6, "licensed_doctors": 1520.0}
    reasons = [r["reason"] for r in _rejections(install)]
    assert len(reasons) == 4
    joined = " | ".join(reasons)
    for expected in ("155.11", "-3.2", "999", "-48.7"):
        assert expected in joined
    assert all(r.startswith("implausible: ") for r in reasons)
    assert "0–100 of urbanization_rate" in joined and "0–366 of air_quality_good_days" in joined


def test_a_bulletin_for_a_future_year_is_quarantined(install):
    (install.inbox / "bulletins" / "2030年黔江区统计公报.txt").write_text(BULLETIN.format(year=2030), "utf-8")
    report = _land(install)
    (quarantined,) = report.quarantined
    assert quarantined.place == "title" and "2030, after the current year 2026" in quarantined.reason
    assert _table(install, "bulletin_figures") == []


# --- the guard: hostile files ------------------------------------------------------------------------------------


def _zip_bomb_docx(path: Path, xml_mb: int = 110) -> None:
    """A DOCX whose document.xml expands to `xml_mb` MB of paragraphs (a few hundred KB on disk)."""
    paragraph = "<w:p><w:r><w:t>" + "统计" * 40 + "</w:t></w:r></w:p>"
    body = paragraph * (xml_mb * (1 << 20) // len(paragraph.encode()))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", xml)


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(install):
    bomb = install.inbox / "bulletins" / "2024年黔江区统计公报.docx"
    _zip_bomb_docx(bomb)
    assert bomb.stat().st_size < 2 << 20
    started = time.monotonic()
    report = _land(install)
    elapsed = time.monotonic() - started
    (quarantined,) = report.quarantined
    assert quarantined.place == "zip member word/document.xml" and "expands" in quarantined.reason
    assert elapsed < 10


def test_a_huge_text_is_refused_by_its_size(install):
    huge = install.inbox / "bulletins" / "2024年黔江区统计公报.txt"
    with huge.open("wb") as handle:
        handle.truncate(200 * (1 << 20))  # 200 MB (sparse)
    report = _land(install)
    (quarantined,) = report.quarantined
    assert "200.0 MB, over the 25 MB limit" in quarantined.reason


def test_any_exception_and_the_time_limit_become_an_input_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("x")

    def overflow() -> int:
        return int(float("inf"))

    with pytest.raises(InputError) as caught:
        guarded(path, overflow)
    assert caught.value.file == "x.txt" and "OverflowError" in caught.value.reason and caught.value.hint

    with pytest.raises(InputError) as caught:
        guarded(path, lambda: time.sleep(5), Limits(max_seconds=0.3))
    assert "took over 0.3 s" in caught.value.reason


def _unreadable_landing(install: Paths) -> dict[str, dict]:
    """Land with one unreadable file. Root reads any file, so as root the landing runs in a process without the
    capabilities that override file permissions (setpriv)."""
    unreadable = install.inbox / "published" / "locked.csv"
    unreadable.write_text(PUB_HEADER, encoding="utf-8")
    unreadable.chmod(0)
    (install.inbox / "published" / "ok.csv").write_text(
        PUB_HEADER + f"500114,2022,地区生产总值,300.5,亿元,reported,,bulletin,{URL}\n", encoding="utf-8"
    )
    if os.geteuid() != 0:
        _land(install)
        return _manifest(install)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    script = (
        "from datetime import date; from pathlib import Path; from planwatch_core.paths import Paths;"
        "from ingest.landing import land_inputs;"
        f"land_inputs(Paths(Path({str(install.inbox)!r}), Path({str(install.warehouse)!r}), "
        f"Path({str(install.catalog)!r})), progress=lambda _: None, today=date(2026, 6, 1))"
    )
    caps = "-dac_override,-dac_read_search"
    result = subprocess.run(
        [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", "--", sys.executable, "-c", script],
        cwd=str(REPO),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return _manifest(install)


def test_an_unreadable_file_is_quarantined_and_the_rest_lands(install):
    manifest = _unreadable_landing(install)
    assert manifest["locked.csv"]["status"] == "quarantined"
    assert (
        "cannot be read" in manifest["locked.csv"]["reason"] and "read permission" in manifest["locked.csv"]["reason"]
    )
    assert manifest["ok.csv"]["status"] == "loaded"


# --- submissions: strict numbers, formulas, the data sheet -------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ('500114,qianjiang-14th-13,年限,2022,"1,5",年,局,', "has a comma"),
        ('500114,qianjiang-14th-13,年限,2022,"1,2,3",年,局,', "has a comma"),
        ("500114,qianjiang-14th-13,年限,2022,1.2.3,年,局,", "is not a number"),
        ("500114,qianjiang-14th-13,年限,2022.9,11.8,年,局,", "year '2022.9' is not a year"),
        ("500114,qianjiang-14th-13,年限,inf,11.8,年,局,", "year 'inf' is not a year"),
        ("500114,qianjiang-14th-13,年限,2022,inf,年,局,", "is not a number"),
        ("500114,qianjiang-14th-13,年限,2022,NaN,年,局,", "is not a number"),
        (f"500114,qianjiang-14th-13,年限,2022,11.8,年,{'z' * 131_073},", "a cell of 131,073 characters"),
    ],
)
def test_submission_numbers_are_read_strictly(row, reason):
    from ingest.submissions import read_submission
    from tests.test_submissions import CATALOG, REGIONS

    data = (SUB_HEADER + GOOD_SUB + row + "\n").encode()
    values, rejections = read_submission(data, "dept.csv", CATALOG, REGIONS, gate=GATE)
    assert [v["value"] for v in values] == [76.4]
    (rejection,) = rejections
    assert rejection["place"] == "row 3" and reason in rejection["reason"], rejection


def _workbook(cover_first: bool, formula: bool) -> bytes:
    book = Workbook()
    if cover_first:
        cover = book.active
        cover.title = "封面"
        cover.append(["黔江区2023年指标报送"])
        cover.append(["报送单位：区教委"])
        sheet = book.create_sheet("数据")
    else:
        sheet = book.active
        sheet.title = "报送数据"
    sheet.append(["黔江区指标报送表"])  # a title above the header
    sheet.append([f"{label}({key})" for key, label in (
        ("region_code", "地区代码"), ("indicator_id", "指标编号"), ("indicator_name", "指标名称"), ("year", "年份"),
        ("value", "数值"), ("unit", "计量单位"), ("source", "数据来源"), ("note", "备注"),
    )])  # fmt: skip
    sheet.append(["500114", "qianjiang-14th-14", "寿命", 2022, 76.4, "年", "区卫生健康委", None])
    sheet.append(["500114", "qianjiang-14th-13", "年限", 2023, "=11+0.8" if formula else 11.8, "年", "区教委", None])
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl saves formulas without a computed value
    return buffer.getvalue()


def test_a_cover_sheet_and_a_title_row_before_the_data_are_fine():
    from ingest.submissions import read_submission
    from tests.test_submissions import CATALOG, REGIONS

    values, rejections = read_submission(_workbook(True, False), "dept.xlsx", CATALOG, REGIONS, gate=GATE)
    assert rejections == []
    assert [(v["indicator_id"], v["value"], v["source_locator"]) for v in values] == [
        ("qianjiang-14th-14", 76.4, "dept.xlsx:row 3"),
        ("qianjiang-14th-13", 11.8, "dept.xlsx:row 4"),
    ]


def test_a_formula_without_a_saved_value_is_a_rejected_row():
    from ingest.submissions import read_submission
    from tests.test_submissions import CATALOG, REGIONS

    values, rejections = read_submission(_workbook(False, True), "dept.xlsx", CATALOG, REGIONS, gate=GATE)
    assert [v["indicator_id"] for v in values] == ["qianjiang-14th-14"]
    (rejection,) = rejections
    assert rejection["place"] == "row 4" and "formula saved without its value" in rejection["reason"]


# --- plans: copies, versions, conflicts, duplicate row numbers ---------------------------------------------------


def _edited_outline(old: str, new: str, date_line: str | None = None) -> str:
    text = OUTLINE.read_text(encoding="utf-8")
    head, table = text.split("专栏2：", 1)
    assert old in table
    text = head + "专栏2：" + table.replace(old, new, 1)
    if date_line:
        first, rest = text.split("\n", 1)
        text = f"{first}\n{date_line}\n{rest}"
    return text


def _served_plan_files(paths: Paths) -> set[str]:
    return {r["source_document"] for r in _table(paths, "plans")}


def test_an_exact_copy_of_an_outline_is_skipped_with_its_reason(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "a.txt")
    shutil.copy(OUTLINE, install.inbox / "plans" / "b.txt")
    _land(install)
    manifest = _manifest(install)
    assert manifest["a.txt"]["status"] == "loaded"
    assert manifest["b.txt"]["status"] == "skipped" and "exact copy of a.txt" in manifest["b.txt"]["reason"]
    assert _served_plan_files(install) == {"a.txt"}


def test_a_second_copy_with_the_same_tables_is_a_version_not_a_failure(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "a.txt")
    _land(install)
    (install.inbox / "plans" / "b.txt").write_text(OUTLINE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _land(install)
    manifest = _manifest(install)
    assert (manifest["a.txt"]["status"], manifest["b.txt"]["status"]) == ("superseded", "loaded")
    assert "same tables as b.txt" in manifest["a.txt"]["reason"]
    assert _served_plan_files(install) == {"b.txt"}
    # the older one is kept, not served
    assert list((install.landing / "_parts" / "plan_targets" / "_versions").glob("plans__*.arrow"))


def test_a_revised_outline_with_a_later_date_is_current(install):
    original = _edited_outline("\t3.9\n", "\t3.9\n", date_line="2021年3月1日")
    revised = _edited_outline("\t7△\n", "\t6.5△\n", date_line="2023年6月30日")
    (install.inbox / "plans" / "revised.txt").write_text(revised, encoding="utf-8")
    (install.inbox / "plans" / "original.txt").write_text(original, encoding="utf-8")
    _land(install)
    manifest = _manifest(install)
    assert manifest["revised.txt"]["status"] == "loaded"
    assert manifest["original.txt"]["status"] == "superseded"
    assert "dated 2021-03-01" in manifest["original.txt"]["reason"]
    gdp = {r["indicator_id"]: r["target_text"] for r in _table(install, "plan_targets")}["qianjiang-14th-01"]
    assert gdp == "6.5△"


def test_an_edited_copy_conflicts_and_the_last_good_one_is_served(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "good.txt")
    _land(install)
    (install.inbox / "plans" / "edited.txt").write_text(_edited_outline("\t7△\n", "\t6△\n"), encoding="utf-8")
    _land(install)
    manifest = _manifest(install)
    assert manifest["good.txt"]["status"] == "loaded"
    conflict = manifest["edited.txt"]
    assert conflict["status"] == "conflict" and "good.txt" in conflict["reason"]
    assert _served_plan_files(install) == {"good.txt"}


def test_an_impossible_target_is_a_rejected_row(install):
    (install.inbox / "plans" / "edited.txt").write_text(_edited_outline("\t7△\n", "\t9999999△\n"), encoding="utf-8")
    _land(install)
    (rejection,) = [r for r in _rejections(install) if r["file_name"] == "edited.txt"]
    assert "value 1e+07 is outside the plausible range -100–1000 of a figure in %" in rejection["reason"]
    assert rejection["place"].startswith("edited.txt:L")
    ids = {r["indicator_id"] for r in _table(install, "plan_targets")}
    assert "qianjiang-14th-01" not in ids and "qianjiang-14th-02" in ids


def test_duplicate_row_numbers_quarantine_the_plan_with_the_line(install):
    (install.inbox / "plans" / "dup.txt").write_text(_edited_outline("\t2\n", "\t1\n"), encoding="utf-8")
    report = _land(install)
    (quarantined,) = report.quarantined
    assert quarantined.place.startswith("dup.txt:L") and "row number 1 of the qianjiang-14th table appears twice" in (
        quarantined.reason
    )


# --- provenance: renames, skipped entries ------------------------------------------------------------------------


def test_a_renamed_file_is_landed_under_its_new_name(install):
    plan = install.inbox / "plans" / "old_name.txt"
    shutil.copy(OUTLINE, plan)
    _land(install)
    plan.rename(install.inbox / "plans" / "new_name.txt")
    _land(install)
    assert set(_manifest(install)) == {"new_name.txt"}
    assert _served_plan_files(install) == {"new_name.txt"}
    assert {r["source_document"] for r in _table(install, "plan_review_figures")} == {"new_name.txt"}


def test_an_empty_xlsx_is_reported_under_its_own_name(install):
    (install.inbox / "submissions" / "gone.csv").write_bytes(b"")
    _land(install)
    (install.inbox / "submissions" / "gone.csv").unlink()
    (install.inbox / "submissions" / "empty.xlsx").write_bytes(b"")
    _land(install)
    manifest = _manifest(install)
    assert set(manifest) == {"empty.xlsx"} and manifest["empty.xlsx"]["status"] == "quarantined"


def test_skipped_entries_are_listed_with_their_reason_and_links_out_are_not_followed(install, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text(PUB_HEADER + f"500114,2022,地区生产总值,300.5,亿元,reported,,bulletin,{URL}\n", "utf-8")
    folder = install.inbox / "published"
    (folder / "link.csv").symlink_to(outside)
    (folder / ".hidden.csv").write_text(outside.read_text("utf-8"), "utf-8")
    (folder / "README.md").write_text("说明", "utf-8")
    (folder / "sub").mkdir()
    _land(install)
    manifest = _manifest(install)
    statuses = {name: (row["status"], row["reason"]) for name, row in manifest.items()}
    assert statuses["link.csv"][0] == "skipped" and "not followed" in statuses["link.csv"][1]
    assert statuses[".hidden.csv"][0] == "skipped" and "hidden" in statuses[".hidden.csv"][1]
    assert statuses["README.md"][0] == "skipped"
    assert statuses["sub"][0] == "skipped" and "folder" in statuses["sub"][1]
    assert _table(install, "published_figures") == []  # nothing was read through the link


# --- self-repair ---------------------------------------------------------------------------------------------------


def test_a_corrupted_landed_part_is_landed_again(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "plan.txt")
    _land(install)
    (landed,) = (install.landing / "_parts" / "plan_targets").glob("plans__*.arrow")
    good = landed.read_bytes()
    landed.write_bytes(good[: len(good) // 2])  # truncated
    log: list[str] = []
    _land(install, log)
    assert landed.read_bytes() == good
    assert any("damaged; landing it again" in line for line in log)
    landed.write_bytes(good[:100] + b"\0" * 50 + good[150:])  # same size, corrupted inside
    _land(install, [])
    assert landed.read_bytes() == good


def test_an_invalid_state_is_dropped_and_everything_landed_again(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "plan.txt")
    _land(install)
    state = install.state_dir / "inputs_plans.json"
    state.write_text("{not json", encoding="utf-8")
    log: list[str] = []
    report = _land(install, log)
    assert any("cannot be read" in line and "landing every file again" in line for line in log)
    assert report.parsed == 1 and _manifest(install)["plan.txt"]["status"] == "loaded"
    assert json.loads(state.read_text(encoding="utf-8"))


def test_arriving_together_the_document_that_agrees_with_the_catalog_is_served(install):
    (install.inbox / "plans" / "a_edited.txt").write_text(_edited_outline("\t7△\n", "\t6△\n"), encoding="utf-8")
    shutil.copy(OUTLINE, install.inbox / "plans" / "b_original.txt")
    _land(install)
    manifest = _manifest(install)
    assert (manifest["a_edited.txt"]["status"], manifest["b_original.txt"]["status"]) == ("conflict", "loaded")
    assert _served_plan_files(install) == {"b_original.txt"}


def test_a_cell_beyond_what_csv_parses_quarantines_the_file_with_its_line(install):
    row = f"500114,2023,地区生产总值,1,亿元,reported,{'x' * (2 << 20)},bulletin,{URL}\n"
    (install.inbox / "published" / "huge_cell.csv").write_text(PUB_HEADER + row, encoding="utf-8")
    (install.inbox / "published" / "ok.csv").write_text(
        PUB_HEADER + f"500114,2022,地区生产总值,300.5,亿元,reported,,bulletin,{URL}\n", encoding="utf-8"
    )
    report = _land(install)
    (quarantined,) = report.quarantined
    assert (quarantined.name, quarantined.place) == ("huge_cell.csv", "line 2")
    assert "field larger than field limit" in quarantined.reason
    assert [f["value"] for f in _table(install, "published_figures")] == [300.5]


def test_a_rerun_with_skipped_and_oversize_entries_writes_the_same_manifest(install):
    (install.inbox / "published" / ".hidden.csv").write_text(PUB_HEADER, encoding="utf-8")
    (install.inbox / "published" / "folder").mkdir()
    with (install.inbox / "bulletins" / "huge.txt").open("wb") as handle:
        handle.truncate(30 << 20)
    _land(install)
    manifest = install.landing / "input_files" / "manifest.parquet"
    before = manifest.read_bytes()
    time.sleep(1.1)  # a second later: a record written again would carry a new time
    report = _land(install)
    assert manifest.read_bytes() == before and len(report.quarantined) == 1


def test_a_copy_named_to_sort_first_does_not_take_the_landed_name(install):
    shutil.copy(OUTLINE, install.inbox / "plans" / "outline.txt")
    _land(install)
    shutil.copy(OUTLINE, install.inbox / "plans" / "0_copy.txt")
    report = _land(install)
    assert report.parsed == 0
    manifest = _manifest(install)
    assert manifest["outline.txt"]["status"] == "loaded"
    assert "exact copy of outline.txt" in manifest["0_copy.txt"]["reason"]


@pytest.mark.parametrize(
    ("value", "metric", "unit", "reason"),
    [
        (-5.0, "air_quality_good_days", "天", "0–366 of air_quality_good_days"),
        (367.0, None, "天", "0–366 of a figure in 天"),
        (100.5, "forest_coverage", "%", "0–100 of forest_coverage"),
        (-0.1, "population_registered", "万人", "0–20000 of population_registered"),
        (-1.0, None, "张", "0–∞ of a figure in 张"),
        (float("nan"), None, None, "not a finite number"),
        (2e12, None, None, "larger than any real figure"),
        (65.2, "forest_coverage", "%", None),
        (-3.5, "gdp_growth", "%", None),
    ],
)
def test_the_gate_reads_its_ranges_from_the_catalog(value, metric, unit, reason):
    got = GATE.value(value, metric, unit)
    assert (got is None) if reason is None else (reason in got), got


def test_the_gate_checks_years_and_addresses_against_the_date_passed_in():
    assert "after the current year 2026" in GATE.year(2027)
    assert GATE.year(2026) is None and load_gate(None, date(2031, 1, 1)).year(2030) is None
    assert "outside the plan period 2021–2025" in GATE.year(2020, 2021, 2025)
    for bad in ("https://", "http:///x", "ftp://a.b/c", "www.a.gov.cn/x", ""):
        assert GATE.url(bad), bad
    assert GATE.url(URL) is None
