-- Progress of every indicator in every plan year (SPEC §4), each status with the inputs that explain it.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
select
    indicator_id,
    year,
    actual_value,
    expected_value,
    elapsed_share,
    progress_ratio,
    pace_ratio,
    projected_value,
    required_remaining,
    p.status,
    sc.status_zh,
    is_final_year,
    completed,
    plan_id,
    theme_code,
    attribute,
    target_kind,
    parent_seq is null and target_kind = 'table' as is_headline,
    p.method,
    m.formula,
    direction,
    target_comparator,
    target_aggregation,
    baseline_year,
    baseline_value,
    target_year,
    target_value,
    target_text,
    actual_text,
    assessed_value,
    n_years_observed,
    cagr_observed,
    cagr_required,
    condition_met,
    source_kind,
    source_document,
    source_locator,
    basis_note,
    coverage_note
from {{ ref('int_indicator_progress_computed') }} as p
left join {{ ref('status_codes') }} as sc on sc.status = p.status
left join {{ ref('progress_methods') }} as m on m.method = p.method
where {{ in_changed_scope('p.plan_id') }}
