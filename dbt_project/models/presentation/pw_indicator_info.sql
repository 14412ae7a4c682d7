-- Dataset of 指标详情's definition table: baseline, target, attribute, latest status and where the plan states it.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='indicator_id',
    on_schema_change='fail') }}
select
    {{ indicator_label() }} as indicator_label,
    p.name_zh as plan_name,
    p.plan_option,
    p.is_current,
    i.indicator_id,
    i.name_zh,
    i.attribute_zh,
    i.unit,
    cast(i.baseline_year as varchar) || '年：' || coalesce(i.baseline_text, '－') as baseline,
    cast(i.target_year as varchar) || '年：' || coalesce(i.target_text, '－') as target,
    cast(s.latest_year as integer) as latest_year,
    cast(s.latest_actual as double) as latest_actual,
    s.status_zh,
    i.review_status_zh,
    i.source_table || coalesce(' · ' || i.source_locator, '') as plan_source
from {{ ref('dim_indicator') }} as i
inner join {{ ref('dim_plan') }} as p on p.plan_id = i.plan_id
left join {{ ref('rpt_indicator_status') }} as s on s.indicator_id = i.indicator_id
where {{ in_changed_scope('i.indicator_id') }}
