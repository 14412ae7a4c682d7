"""A plan outline → the records the warehouse lands: plans, targets (table rows and narrative statements) and
the results its review of the previous plan states. Pure: text in, records out; the caller reads the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.catalog_draft import proposed_metric
from ingest.plan_formats import Outline, decode_text, read_outline
from ingest.plan_narrative import Statement, statements
from ingest.plan_tables import ExtraTarget, Plan, Region, Rejection, TableRow, plan_ordinal, read_tables
from ingest.regions import region_for
from ingest.themes import ThemeRules
from planwatch_core.errors import InputError

# wording of a name that says lower is better (单位地区生产总值能耗降低 is a reduction: its % is higher-better)
_LOWER_WORDS = re.compile(r"(控制在|以下|以内|不超过|不高于|失业率|死亡率|发生率|浓度|能耗$|排放量$|用水量$)")
_REDUCTION_WORDS = re.compile(r"(降低|下降|减少)$")


@dataclass(frozen=True)
class PlanDocument:
    file: str
    plans: list[Plan]
    rows: list[TableRow]
    targets: list[Statement]  # narrative targets of the current plan
    review: list[Statement]  # results of the previous plan stated in its review
    rejections: list[Rejection] = field(default_factory=list)  # rows the reader could not interpret
    outline: Outline | None = None  # where each line came from (page, table row) in a Word, PDF or HTML file

    def locator(self, line: int) -> str:
        return f"{self.file}:{self.outline.locator(line) if self.outline else f'L{line}'}"

    @property
    def current_plan(self) -> Plan:
        return max(self.plans, key=lambda plan: plan.ordinal)


def document_ordinal(text: str) -> int | None:
    """The plan the document is (第十五个五年规划, “十五五”), from its first lines."""
    head = "\n".join(line for line in text.splitlines()[:8] if line.strip())
    return plan_ordinal(head)


def parse_plan_document(text: str, file: str, region: Region, outline: Outline | None = None) -> PlanDocument:
    where = outline.place if outline is not None else (lambda line: f"line {line}")
    result = read_tables(text, file, region, document_ordinal(text), where)
    rows = result.rows
    if not rows:
        if result.rejections:
            first = result.rejections[0]
            raise InputError(
                file, first.place, f"no indicator row could be read: {first.reason}", "fix the table and retry"
            )
        raise InputError(
            file,
            "whole document",
            "no indicator table found (a 专栏/表 title followed by a table whose header holds 序号 and 指标)",
            "check that the outline has its main-indicator table",
        )
    plans = sorted({row.plan.plan_id: row.plan for row in rows}.values(), key=lambda p: p.ordinal)
    current = plans[-1]
    first_table_line = min(row.line for row in rows)
    last_table_line = max(row.line for row in rows if row.plan == current)
    line_count = text.count("\n") + 1
    return PlanDocument(
        file=file,
        plans=plans,
        rows=rows,
        targets=statements(text, "target", (last_table_line + 1, line_count), set(), current.target_year),
        review=statements(text, "review", (1, first_table_line - 1), set()),
        rejections=result.rejections,
        outline=outline,
    )


def indicator_id(plan_id: str, row: TableRow, sub_index: int | None = None) -> str:
    if row.seq is not None:
        return f"{plan_id}-{row.seq:02d}"
    return f"{plan_id}-{row.parent_seq:02d}.{sub_index}"


def proposed_direction(name_zh: str, target_comparator: str | None) -> int | None:
    """-1 when the wording says lower is better (控制在, 以下, 失业率 …); 1 for a reduction stated as a positive
    figure (能耗降低 X%); None when the wording does not say."""
    if target_comparator in ("le", "lt"):
        return -1
    if _REDUCTION_WORDS.search(name_zh):
        return 1
    if _LOWER_WORDS.search(name_zh):
        return -1
    return None


def _row_record(
    doc: PlanDocument, row: TableRow, sub_index: int | None, themes: ThemeRules, extra: ExtraTarget | None = None
) -> dict:
    target = extra.value if extra is not None else row.target
    aggregation = target.aggregation
    # A review table marks the result, not the target ('10' vs '8.4△'): the mark says how both are measured.
    if aggregation == "final_year" and row.result is not None and row.result.aggregation in ("average", "cumulative"):
        aggregation = row.result.aggregation
    if aggregation is None and row.baseline is not None:
        aggregation = row.baseline.aggregation
    theme, basis = themes.for_section(row.section_zh)
    plan = row.plan
    base_id = indicator_id(plan.plan_id, row, sub_index)
    return {
        "plan_id": plan.plan_id,
        "indicator_id": f"{base_id}-{extra.suffix}" if extra is not None else base_id,
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
        "direction_proposed": proposed_direction(row.name_zh, target.comparator),
        "baseline_year": row.baseline_year or plan.base_year,
        "baseline_text": row.baseline.text if row.baseline else None,
        "baseline_value": row.baseline.value if row.baseline else None,
        "baseline_aggregation": row.baseline.aggregation if row.baseline else None,
        "target_year": extra.year if extra is not None else plan.target_year,
        "target_text": target.text,
        "target_value": target.value,
        "target_aggregation": aggregation,
        "target_comparator": target.comparator,
        "target_structure": list(target.structure) if target.structure else None,
        "target_relative_to": None,  # set by target_records: the indicator a relative target names
        "proposed_actual_metric": None,  # set by target_records: the bulletin metric the name and unit match
        "result_text": row.result.text if row.result else None,
        "result_value": row.result.value if row.result else None,
        "result_structure": list(row.result.structure) if row.result and row.result.structure else None,
        "source_document": doc.file,
        "source_table": row.table,
        "source_locator": doc.locator(row.line),
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
        "target_relative_to": None,
        "proposed_actual_metric": None,
        "result_text": None,
        "result_value": None,
        "result_structure": None,
        "source_document": doc.file,
        "source_table": None,
        "source_locator": f"{doc.locator(st.line)}:c{st.char_start}-{st.char_end}",
        "excerpt": st.excerpt,
        "chapter": st.chapter,
        "context": st.context,
    }


def target_records(doc: PlanDocument, themes: ThemeRules, metric_patterns: list | None = None) -> list[dict]:
    """One record per indicator: every table row (sub-rows included), then the narrative targets.
    `metric_patterns` (catalog_draft.alias_patterns of the metric aliases): propose each table row's bulletin metric,
    used for an indicator the catalog has not reviewed."""
    records = []
    sub_index = 0
    for row in doc.rows:
        sub_index = sub_index + 1 if row.seq is None else 0
        records.append(_row_record(doc, row, sub_index if row.seq is None else None, themes))
        for extra in row.extra_targets:
            records.append(_row_record(doc, row, sub_index if row.seq is None else None, themes, extra))
    current = doc.current_plan
    for index, statement in enumerate(doc.targets, start=1):
        records.append(_statement_record(doc, current, index, statement, themes))
    if any(row.target.relative_to for row in doc.rows):
        _link_relative_targets(records, doc)
    if metric_patterns:
        for record in records:
            if record["kind"] == "table":
                found = proposed_metric(record["name_zh"], record["unit"], metric_patterns)
                record["proposed_actual_metric"] = found[0] if found else None
    return records


_ECONOMY = ("GDP", "经济", "地区生产总值", "经济增长", "国内生产总值")


def relative_indicator(referent: str, candidates: list[dict]) -> str | None:
    """The indicator a relative target names (高于GDP增长 → the plan's 地区生产总值增速 row): the one table row of
    the plan whose name holds the referent and says growth; None when none or several do (nothing guessed)."""
    names = ("地区生产总值", "国内生产总值", "经济") if referent in _ECONOMY else (referent,)
    found = [
        r["indicator_id"]
        for r in candidates
        if any(n in r["name_zh"] for n in names) and re.search(r"增速|增长", r["name_zh"])
    ]
    return found[0] if len(found) == 1 else None


def _link_relative_targets(records: list[dict], doc: PlanDocument) -> None:
    rows_by_id = {}
    sub_index = 0
    for row in doc.rows:
        sub_index = sub_index + 1 if row.seq is None else 0
        rows_by_id[indicator_id(row.plan.plan_id, row, sub_index if row.seq is None else None)] = row
    for record in records:
        row = rows_by_id.get(record["indicator_id"])
        if record["kind"] != "table" or row is None or not row.target.relative_to:
            continue
        candidates = [
            r for r in records if r["kind"] == "table" and r["plan_id"] == record["plan_id"] and r is not record
        ]
        record["target_relative_to"] = relative_indicator(row.target.relative_to, candidates)


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
            "source_locator": f"{doc.locator(st.line)}:c{st.char_start}-{st.char_end}",
            "excerpt": st.excerpt,
        }
        for st in doc.review
    ]


def rejection_records(doc: PlanDocument) -> list[dict]:
    """Rows the reader could not interpret (quarantined; the rest of the plan lands): place, reason, cells."""
    return [{"place": r.place, "reason": r.reason, "excerpt": r.excerpt} for r in doc.rejections]


# --- I/O edge ------------------------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A text outline: UTF-8 (a BOM is tolerated) or GB18030; anything else is an error, not a guess."""
    return decode_text(path.read_bytes(), path.name)


def read_plan_file(path: Path, regions_path: Path, region: str | None = None) -> PlanDocument:
    """A plan outline (.txt, .docx, .pdf, .html) → its document. `region` (a name or code) overrides the region
    its title names; `regions_path` is the catalog's regions.yaml (its folder holds regions_cn.csv)."""
    outline = read_outline(path)
    text = outline.text
    title = next((line for line in text.splitlines() if line.strip()), "")
    found = region_for(title, path.name, region, regions_path.parent)
    return parse_plan_document(text, path.name, found, outline if outline.format != "text" else None)


def plan_metric_patterns(catalog_dir: Path) -> list:
    """The metric aliases' label patterns of a catalog folder, for target_records (empty without the file)."""
    from ingest.catalog_draft import alias_patterns
    from planwatch_core.yaml_load import safe_load

    path = catalog_dir / "metric_aliases.yaml"
    if not path.is_file():
        return []
    return alias_patterns(safe_load(path.read_text(encoding="utf-8")) or {})
