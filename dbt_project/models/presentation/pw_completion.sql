-- Dataset of 规划完成情况: the completion table (rpt_plan_completion, in the plan's own format) of every finished
-- plan (dim_plan.is_finished) whose marts hold final-year verdicts; the dashboard's plan selector picks one.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with finished as (
    select p.plan_id, p.name_zh, p.plan_option
    from {{ ref('dim_plan') }} as p
    where p.is_finished and {{ in_changed_scope('p.plan_id') }}
        and exists (
            select 1 from {{ ref('rpt_plan_completion') }} as c where c.plan_id = p.plan_id and c.is_final_year
        )
)

select
    c.plan_id,
    f.name_zh as plan_name,
    f.plan_option,
    c.seq,
    c.display_name as name_zh,
    c.target_text,
    c.actual_text,
    c.attribute_zh,
    c.status_zh,
    c.completed,
    c.verdict,
    c.parent_seq is not null as is_sub_row,
    i.attribute = 'binding' as is_binding,
    c.sort_key as row_order
from {{ ref('rpt_plan_completion') }} as c
inner join finished as f on f.plan_id = c.plan_id
inner join {{ ref('dim_indicator') }} as i on i.indicator_id = c.indicator_id
