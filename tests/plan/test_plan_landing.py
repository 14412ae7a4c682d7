"""A plan outline in any format lands from inbox/plans/; a row the reader cannot interpret is landed as a rejection
(file, place, cell text) while the rest of the plan lands; a document without an indicator table is quarantined."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq

from ingest.landing import land_inputs
from planwatch_core.paths import Paths

sys.path.insert(0, str(Path(__file__).parent))
import outline15

REPO = Path(__file__).resolve().parents[2]


def _install(tmp_path: Path) -> Paths:
    (tmp_path / "inbox" / "plans").mkdir(parents=True)
    return Paths(inbox=tmp_path / "inbox", warehouse=tmp_path / "warehouse", catalog=REPO / "catalog")


def test_bad_row_is_rejected_and_the_rest_of_the_plan_lands(tmp_path):
    paths = _install(tmp_path)
    plans = paths.inbox / "plans"
    text = outline15.text_outline().replace("\t≥23\n", "\t约23吨\n")
    (plans / "q15.txt").write_text(text, encoding="utf-8")
    (plans / "no_table.txt").write_text("重庆市黔江区“十五五”规划纲要\n只有正文，没有指标表。\n", encoding="utf-8")
    report = land_inputs(paths, progress=lambda _: None)
    assert {o.name for o in report.quarantined} == {"no_table.txt"}
    assert "no indicator table found" in report.quarantined[0].reason
    targets = pq.read_table(paths.landing / "plan_targets").to_pylist()
    table_rows = [t for t in targets if t["kind"] == "table"]
    assert len(table_rows) == 11
    assert "qianjiang-15th-10" not in {t["indicator_id"] for t in table_rows}
    [rejection] = pq.read_table(paths.landing / "rejections").to_pylist()
    assert rejection["file_name"] == "q15.txt" and rejection["input_kind"] == "plans"
    assert rejection["place"].startswith("line ") and "约23吨" in rejection["reason"]
    assert "粮食综合生产能力" in rejection["excerpt"]


def test_a_word_outline_lands(tmp_path):
    paths = _install(tmp_path)
    outline15.write_docx(paths.inbox / "plans" / "q15.docx")
    report = land_inputs(paths, progress=lambda _: None)
    assert report.parsed == 1 and not report.quarantined
    targets = pq.read_table(paths.landing / "plan_targets").to_pylist()
    assert sum(1 for t in targets if t["kind"] == "table") == 12
    assert {t["source_document"] for t in targets} == {"q15.docx"}
