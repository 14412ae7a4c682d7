-- One row per indicator at its latest assessed year: what leadership sees first. Indicators with no actual
-- in any plan year show as no_data with no year. Labels and groups: seeds/status_codes.csv, seeds/status_buckets.csv.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with progress as (
    select * from {{ ref('fct_indicator_progress') }}
    where {{ in_changed_scope('plan_id') }}
),

latest as (
    select indicator_id, max(year) filter (where status <> 'no_data') as latest_year
    from progress
    group by indicator_id
)

select
    i.indicator_id,
    i.plan_id,
    i.seq,
    i.name_zh,
    i.theme_code,
    i.theme_zh,
    i.attribute,
    i.attribute_zh,
    i.unit,
    i.baseline_text,
    i.target_text,
    l.latest_year,
    p.actual_value as latest_actual,
    coalesce(p.status, 'no_data') as status,
    sc.status_zh,
    sc.sort_order as status_order,
    b.status_group,
    b.status_group = 'needs_attention' as needs_attention,
    p.pace_ratio,
    p.required_remaining,
    i.attribute = 'binding' and (
        b.status_group = 'needs_attention'
        or p.completed = false
    ) as is_binding_at_risk,
    p.source_document,
    i.target_kind,
    i.parent_seq is null and i.target_kind = 'table' as is_headline,
    i.parent_seq,
    i.same_as_indicator_id,
    p.actual_text as latest_actual_text,
    p.assessed_value,
    p.expected_value,
    p.projected_value,
    p.progress_ratio,
    p.elapsed_share,
    p.method,
    p.formula,
    p.basis_note,
    p.source_locator,
    i.baseline_value,
    i.target_value,
    i.target_year,
    th.sort_order as theme_sort_order
from {{ ref('dim_indicator') }} as i
left join latest as l on l.indicator_id = i.indicator_id
left join progress as p on p.indicator_id = i.indicator_id and p.year = l.latest_year
left join {{ ref('dim_theme') }} as th on th.theme_code = i.theme_code
left join {{ ref('status_codes') }} as sc on sc.status = coalesce(p.status, 'no_data')
left join {{ ref('status_buckets') }} as b on b.bucket = sc.bucket
where {{ in_changed_scope('i.plan_id') }}
