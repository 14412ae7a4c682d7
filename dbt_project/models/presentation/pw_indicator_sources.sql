-- Dataset of 指标详情's sources table: the current actual of every indicator-year with its document, place and
-- the text it was read from (fct_indicator_actual, is_current).
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='indicator_id',
    on_schema_change='fail') }}
select
    {{ indicator_label() }} as indicator_label,
    p.name_zh as plan_name,
    p.plan_option,
    a.indicator_id,
    cast(a.year as integer) as year,
    cast(a.value as double) as value,
    a.value_text,
    coalesce(k.source_kind_zh, a.source_kind) as source_kind_zh,
    a.source_document,
    a.source_locator,
    a.source_excerpt,
    a.vintage
from {{ ref('fct_indicator_actual') }} as a
inner join {{ ref('dim_indicator') }} as i on i.indicator_id = a.indicator_id
inner join {{ ref('dim_plan') }} as p on p.plan_id = i.plan_id
left join {{ ref('source_kinds') }} as k on k.source_kind = a.source_kind
where a.is_current and {{ in_changed_scope('a.indicator_id') }}
