"""A plan outline → the records the warehouse lands: plans, targets (table rows and narrative statements) and
the results its review of the previous plan states. Pure: text in, records out; the caller reads the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.catalog import load_regions, region_of
from ingest.plan_narrative import Statement, statements
from ingest.plan_tables import Plan, Region, TableRow, parse_tables
from ingest.themes import ThemeRules
from planwatch_core.errors import InputError


@dataclass(frozen=True)
class PlanDocument:
    file: str
    plans: list[Plan]
    rows: list[TableRow]
    targets: list[Statement]  # narrative targets of the current plan
    review: list[Statement]  # results of the previous plan stated in its review

    @property
    def current_plan(self) -> Plan:
        return max(self.plans, key=lambda plan: plan.ordinal)


def parse_plan_document(text: str, file: str, region: Region) -> PlanDocument:
    rows = parse_tables(text, file, region)
    if not rows:
        raise InputError(file, "whole document", "no indicator table (专栏 with 序号/指标名称 header) found")
    plans = sorted({row.plan.plan_id: row.plan for row in rows}.values(), key=lambda p: p.ordinal)
    current = plans[-1]
    first_table_line = min(row.line for row in rows)
    last_table_line = max(row.line for row in rows if row.plan == current)
    line_count = text.count("\n") + 1
    return PlanDocument(
        file=file,
        plans=plans,
        rows=rows,
        targets=statements(text, "target", (last_table_line + 1, line_count), set()),
        review=statements(text, "review", (1, first_table_line - 1), set()),
    )


def indicator_id(plan_id: str, row: TableRow, sub_index: int | None = None) -> str:
    if row.seq is not None:
        return f"{plan_id}-{row.seq:02d}"
    return f"{plan_id}-{row.parent_seq:02d}.{sub_index}"


def _row_record(doc: PlanDocument, row: TableRow, sub_index: int | None, themes: ThemeRules) -> dict:
    target = row.target
    aggregation = target.aggregation
    # A review table marks the result, not the target ('10' vs '8.4△'): the mark says how both are measured.
    if aggregation == "final_year" and row.result is not None and row.result.aggregation in ("average", "cumulative"):
        aggregation = row.result.aggregation
    if aggregation is None and row.baseline is not None:
        aggregation = row.baseline.aggregation
    theme, basis = themes.for_section(row.section_zh)
    plan = row.plan
    return {
        "plan_id": plan.plan_id,
        "indicator_id": indicator_id(plan.plan_id, row, sub_index),
        "kind": "table",
        "seq": row.seq,
        "parent_seq": row.parent_seq,
        "name_zh": row.name_zh,
        "name_text": row.name_text,
        "unit": row.unit,
        "price_basis": row.price_basis,
        "section_zh": row.section_zh,
        "theme_code": theme,
        "theme_basis": basis,
        "attribute": row.attribute,
        "direction_proposed": None,
        "baseline_year": plan.base_year,
        "baseline_text": row.baseline.text if row.baseline else None,
        "baseline_value": row.baseline.value if row.baseline else None,
        "baseline_aggregation": row.baseline.aggregation if row.baseline else None,
        "target_year": plan.target_year,
        "target_text": target.text,
        "target_value": target.value,
        "target_aggregation": aggregation,
        "target_comparator": target.comparator,
        "target_structure": list(target.structure) if target.structure else None,
        "result_text": row.result.text if row.result else None,
        "result_value": row.result.value if row.result else None,
        "result_structure": list(row.result.structure) if row.result and row.result.structure else None,
        "source_document": doc.file,
        "source_table": row.table,
        "source_locator": f"{doc.file}:L{row.line}",
        "excerpt": None,
        "chapter": row.table,
        "context": row.section_zh,
    }


def _statement_record(doc: PlanDocument, plan: Plan, index: int, st: Statement, themes: ThemeRules) -> dict:
    theme, basis = themes.for_text(st.name_zh, st.context, st.chapter)
    return {
        "plan_id": plan.plan_id,
        "indicator_id": f"{plan.plan_id}-n{index:02d}",
        "kind": "narrative",
        "seq": None,
        "parent_seq": None,
        "name_zh": st.name_zh,
        "name_text": st.name_zh,
        "unit": st.unit,
        "price_basis": None,
        "section_zh": None,
        "theme_code": theme,
        "theme_basis": basis,
        # Only the plan tables mark 约束性; targets stated in prose are expected (预期性) ones.
        "attribute": "expected",
        "direction_proposed": st.direction,
        "baseline_year": plan.base_year,
        "baseline_text": None,
        "baseline_value": None,
        "baseline_aggregation": None,
        "target_year": plan.target_year,
        "target_text": st.value_text,
        "target_value": st.value,
        "target_aggregation": st.aggregation,
        "target_comparator": st.comparator,
        "target_structure": None,
        "result_text": None,
        "result_value": None,
        "result_structure": None,
        "source_document": doc.file,
        "source_table": None,
        "source_locator": f"{doc.file}:L{st.line}:c{st.char_start}-{st.char_end}",
        "excerpt": st.excerpt,
        "chapter": st.chapter,
        "context": st.context,
    }


def target_records(doc: PlanDocument, themes: ThemeRules) -> list[dict]:
    """One record per indicator: every table row (sub-rows included), then the narrative targets."""
    records = []
    sub_index = 0
    for row in doc.rows:
        sub_index = sub_index + 1 if row.seq is None else 0
        records.append(_row_record(doc, row, sub_index if row.seq is None else None, themes))
    current = doc.current_plan
    for index, statement in enumerate(doc.targets, start=1):
        records.append(_statement_record(doc, current, index, statement, themes))
    return records


def plan_records(doc: PlanDocument) -> list[dict]:
    return [
        {
            "plan_id": plan.plan_id,
            "name_zh": plan.name_zh,
            "region_code": plan.region_code,
            "ordinal": plan.ordinal,
            "base_year": plan.base_year,
            "target_year": plan.target_year,
            "source_document": doc.file,
        }
        for plan in doc.plans
    ]


def review_records(doc: PlanDocument) -> list[dict]:
    """Results stated in the review of the previous plan, as figures of the current plan's base year."""
    current = doc.current_plan
    return [
        {
            "region_code": current.region_code,
            "year": current.base_year,
            "name_zh": st.name_zh,
            "value": st.value,
            "value_text": st.value_text,
            "unit": st.unit,
            "aggregation": st.aggregation,
            "source_document": doc.file,
            "source_locator": f"{doc.file}:L{st.line}:c{st.char_start}-{st.char_end}",
            "excerpt": st.excerpt,
        }
        for st in doc.review
    ]


# --- I/O edge ------------------------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """Plan documents are UTF-8 (a BOM is tolerated); anything else is an error, not a guess."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path.name, f"byte {exc.start}", "not UTF-8 text", "save the plan as UTF-8 text") from exc


def read_plan_file(path: Path, regions_path: Path) -> PlanDocument:
    text = read_text(path)
    title = next((line for line in text.splitlines() if line.strip()), "")
    region = region_of(title, load_regions(regions_path), path.name)
    return parse_plan_document(text, path.name, region)
