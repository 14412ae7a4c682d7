-- Dataset of 领导驾驶舱 and 主题详情: every indicator of every plan at its latest assessed year
-- (rpt_indicator_status). The dashboards' plan selector (plan_option) opens on dim_plan.is_current: the plan in
-- force, or the latest where none is.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
select
    s.indicator_id,
    s.plan_id,
    p.name_zh as plan_name,
    p.plan_option,
    p.is_current,
    {{ indicator_label() }} as indicator_label,
    s.seq,
    s.name_zh,
    s.theme_code,
    {{ theme_label() }} as theme_label,
    cast(t.sort_order as integer) as theme_order,
    s.attribute_zh,
    s.unit,
    s.baseline_text,
    s.target_text,
    cast(s.latest_year as integer) as latest_year,
    cast(s.latest_actual as double) as latest_actual,
    s.status,
    s.status_zh,
    s.status_order,
    s.status_group,
    s.needs_attention,
    cast(s.pace_ratio as double) as pace_ratio,
    cast(s.required_remaining as double) as required_remaining,
    s.is_binding_at_risk,
    s.source_document,
    i.target_kind = 'table' as is_table_indicator,
    k.target_kind_zh as scope_zh,
    i.review_status_zh
from {{ ref('rpt_indicator_status') }} as s
inner join {{ ref('dim_plan') }} as p on p.plan_id = s.plan_id
inner join {{ ref('dim_indicator') }} as i on i.indicator_id = s.indicator_id
left join {{ ref('dim_theme') }} as t on t.theme_code = s.theme_code
left join {{ ref('target_kinds') }} as k on k.target_kind = i.target_kind
where {{ in_changed_scope('s.plan_id') }}
