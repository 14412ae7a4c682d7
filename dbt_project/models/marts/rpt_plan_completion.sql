-- The completion table (完成情况表) in the plan's own format: every row of the plan table (section order, '#'
-- sub-rows under their parent), its target, its actual and the verdict. For a plan still running, as of the
-- latest year with data for that indicator.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with progress as (
    select * from {{ ref('int_indicator_progress_computed') }}
    where {{ in_changed_scope('plan_id') }}
),

latest as (
    select
        indicator_id,
        max(year) filter (where assessed_value is not null or condition_met is not null) as as_of_year
    from progress
    group by indicator_id
),

indicators as (
    select * from {{ ref('dim_indicator') }} where target_kind = 'table' and {{ in_changed_scope('plan_id') }}
),

verdicts as (
    -- in the target year a verdict (completed / not_completed), before it the progress status
    select
        i.indicator_id,
        case
            when p.is_final_year and p.completed then 'completed'
            when p.is_final_year and not p.completed then 'not_completed'
            else coalesce(p.status, 'no_data')
        end as verdict_status
    from indicators as i
    left join latest as l on l.indicator_id = i.indicator_id
    left join progress as p on p.indicator_id = i.indicator_id and p.year = l.as_of_year
)

select
    i.plan_id,
    coalesce(i.seq, i.parent_seq) as seq,
    i.name_zh,
    i.target_text,
    case
        when p.method in ('average_mean', 'cumulative_sum', 'cumulative_compound') and p.year = p.target_year
            then coalesce(p.period_text, cast(round(p.assessed_value, 2) as varchar))
        when p.method in ('average_mean', 'cumulative_sum', 'cumulative_compound')
            then cast(round(p.assessed_value, 2) as varchar)
        else p.assessed_text
    end as actual_text,
    i.attribute_zh,
    p.completed,
    sc.status_zh,
    i.indicator_id,
    i.parent_seq,
    case when i.parent_seq is not null then '#' || i.name_zh else i.name_zh end as display_name,
    i.unit,
    i.section_zh,
    l.as_of_year,
    coalesce(p.is_final_year, false) as is_final_year,
    coalesce(p.status, 'no_data') as status,
    i.source_locator,
    -- table order: numbered rows by 序号, each '#' sub-row right after its parent
    coalesce(i.seq, i.parent_seq) * 100 + coalesce(try_cast(split_part(i.indicator_id, '.', 2) as integer), 0)
        as sort_key,
    v.verdict_status,
    coalesce(sc.symbol || ' ' || sc.status_zh, '－') as verdict,
    b.status_group = 'needs_attention' as needs_attention
from indicators as i
left join latest as l on l.indicator_id = i.indicator_id
left join progress as p on p.indicator_id = i.indicator_id and p.year = l.as_of_year
left join verdicts as v on v.indicator_id = i.indicator_id
left join {{ ref('status_codes') }} as sc on sc.status = v.verdict_status
left join {{ ref('status_buckets') }} as b on b.bucket = sc.bucket
