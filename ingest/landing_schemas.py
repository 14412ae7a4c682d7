"""Arrow schemas of the landing tables: the contract between ingest/ and dbt's sources. Every table has an
explicit schema so an empty table, or a column that happens to be all null, keeps its type. Every table landed
from input files (INPUT_TABLES) ends with input_sha256: the full SHA-256 of the file each row came from, the key
by which dbt replaces one file's rows."""

from __future__ import annotations

import pyarrow as pa

_STR = pa.string()
_F = pa.float64()
_I = pa.int64()

SCHEMAS: dict[str, pa.Schema] = {
    "plans": pa.schema(
        [
            ("plan_id", _STR),
            ("name_zh", _STR),
            ("region_code", _STR),
            ("ordinal", _I),
            ("base_year", _I),
            ("target_year", _I),
            ("source_document", _STR),
            ("document_date", _STR),  # ISO date the document states under its title (None: none found)
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "plan_targets": pa.schema(
        [
            ("plan_id", _STR),
            ("indicator_id", _STR),
            ("kind", _STR),
            ("seq", _I),
            ("parent_seq", _I),
            ("name_zh", _STR),
            ("name_text", _STR),
            ("unit", _STR),
            ("price_basis", _STR),
            ("section_zh", _STR),
            ("theme_code", _STR),
            ("theme_basis", _STR),
            ("attribute", _STR),
            ("direction_proposed", _I),
            ("baseline_year", _I),
            ("baseline_text", _STR),
            ("baseline_value", _F),
            ("baseline_aggregation", _STR),
            ("target_year", _I),
            ("target_text", _STR),
            ("target_value", _F),
            ("target_aggregation", _STR),
            ("target_comparator", _STR),
            ("target_structure", pa.list_(_F)),
            ("target_relative_to", _STR),
            ("proposed_actual_metric", _STR),
            ("result_text", _STR),
            ("result_value", _F),
            ("result_structure", pa.list_(_F)),
            ("source_document", _STR),
            ("source_table", _STR),
            ("source_locator", _STR),
            ("excerpt", _STR),
            ("chapter", _STR),
            ("context", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "plan_review_figures": pa.schema(
        [
            ("region_code", _STR),
            ("year", _I),
            ("name_zh", _STR),
            ("value", _F),
            ("value_text", _STR),
            ("unit", _STR),
            ("aggregation", _STR),
            ("source_document", _STR),
            ("source_locator", _STR),
            ("excerpt", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "bulletin_figures": pa.schema(
        [
            ("region_code", _STR),
            ("region_zh", _STR),
            ("year", _I),
            ("period", _STR),
            ("metric_key", _STR),
            ("label_zh", _STR),
            ("value", _F),
            ("unit", _STR),
            ("raw_value_text", _STR),
            ("raw_unit", _STR),
            ("growth_pct", _F),
            ("growth_basis", _STR),
            ("figure_kind", _STR),
            ("document_id", _STR),
            ("document_title", _STR),
            ("locator", _STR),
            ("excerpt", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "published_figures": pa.schema(
        [
            ("region_code", _STR),
            ("year", _I),
            ("name_zh", _STR),
            ("metric_key", _STR),
            ("value", _F),
            ("value_text", _STR),
            ("unit", _STR),
            ("raw_unit", _STR),
            ("value_kind", _STR),
            ("note", _STR),
            ("source_kind", _STR),
            ("source_url", _STR),
            ("source_locator", _STR),
            ("excerpt", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "submission_values": pa.schema(
        [
            ("region_code", _STR),
            ("indicator_id", _STR),
            ("year", _I),
            ("value", _F),
            ("value_text", _STR),
            ("unit", _STR),
            ("source", _STR),
            ("note", _STR),
            ("source_locator", _STR),
            ("excerpt", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
    "catalog_figure_names": pa.schema([("name_zh", _STR), ("metric_key", _STR), ("unit", _STR)]),
    "catalog_indicators": pa.schema(
        [
            ("indicator_id", _STR),
            ("name_zh", _STR),
            ("name_en", _STR),
            ("unit", _STR),
            ("baseline_text", _STR),
            ("target_text", _STR),
            ("result_text", _STR),
            ("theme_code", _STR),
            ("direction", _I),
            ("price_basis", _STR),
            ("path", _STR),
            ("aggregation", _STR),
            ("accumulation", _STR),
            ("actual_kind", _STR),
            ("actual_metric", _STR),
            ("numerator_metric", _STR),
            ("denominator_metric", _STR),
            ("ratio_scale", _F),
            ("cross_check_metric", _STR),
            ("cross_check_scale", _F),
            ("plausible_low", _F),
            ("plausible_high", _F),
            ("structure_component", _I),
            ("note", _STR),
        ]
    ),
    "catalog_themes": pa.schema([("theme_code", _STR), ("theme_zh", _STR), ("theme_en", _STR), ("sort_order", _I)]),
    "catalog_regions": pa.schema([("region_code", _STR), ("name_zh", _STR), ("slug", _STR)]),
    "catalog_peer_groups": pa.schema(
        [
            ("group_code", _STR),
            ("group_zh", _STR),
            ("region_code", _STR),
            ("is_focus", pa.bool_()),
            ("member_order", _I),
        ]
    ),
    "catalog_peer_metrics": pa.schema(
        [("metric_key", _STR), ("label_zh", _STR), ("unit", _STR), ("direction", _I), ("sort_order", _I)]
    ),
    "input_files": pa.schema(
        [
            ("input_kind", _STR),
            ("file_name", _STR),
            ("sha256", _STR),
            ("status", _STR),
            ("n_records", _I),
            ("place", _STR),
            ("reason", _STR),
            ("processed_at", pa.timestamp("s", tz="UTC")),
        ]
    ),
    "rejections": pa.schema(
        [
            ("input_kind", _STR),
            ("file_name", _STR),
            ("sha256", _STR),
            ("place", _STR),
            ("reason", _STR),
            ("excerpt", _STR),
            ("input_sha256", _STR),  # SHA-256 of the input file the row came from
        ]
    ),
}


# the tables input files land into (the rest are the catalog's tables and the manifest)
INPUT_TABLES = (
    "plans",
    "plan_targets",
    "plan_review_figures",
    "bulletin_figures",
    "published_figures",
    "submission_values",
    "rejections",
)


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()
