-- Dataset of 指标详情's path chart and yearly table: every indicator of every plan, year by year: actual, planned
-- path, projection (fct_indicator_progress).
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='indicator_id',
    on_schema_change='fail') }}
select
    {{ indicator_label() }} as indicator_label,
    p.name_zh as plan_name,
    p.plan_option,
    g.indicator_id,
    cast(g.year as integer) as year,
    make_date(cast(g.year as integer), 1, 1) as year_date,
    cast(g.actual_value as double) as actual_value,
    cast(g.expected_value as double) as expected_value,
    cast(g.projected_value as double) as projected_value,
    cast(g.progress_ratio as double) as progress_ratio,
    cast(g.pace_ratio as double) as pace_ratio,
    cast(g.elapsed_share as double) as elapsed_share,
    cast(g.required_remaining as double) as required_remaining,
    g.status_zh,
    vc.status_zh as completed_zh,
    i.unit
from {{ ref('fct_indicator_progress') }} as g
inner join {{ ref('dim_indicator') }} as i on i.indicator_id = g.indicator_id
inner join {{ ref('dim_plan') }} as p on p.plan_id = i.plan_id
left join {{ ref('status_codes') }} as vc
    on vc.status = case when g.completed then 'completed' when not g.completed then 'not_completed' end
where {{ in_changed_scope('g.indicator_id') }}
