-- Which indicator has an actual in which year (base year included): the data-quality view of the gaps.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with years as (
    select i.plan_id, i.indicator_id, i.name_zh, i.theme_code, i.target_kind, i.parent_seq,
        cast(unnest(range(p.base_year, p.target_year + 1)) as integer) as year
    from {{ ref('dim_indicator') }} as i
    inner join {{ ref('dim_plan') }} as p on p.plan_id = i.plan_id
    where {{ in_changed_scope('i.plan_id') }}
),

current_actuals as (
    select indicator_id, year, source_kind
    from {{ ref('fct_indicator_actual') }}
    where is_current and value_scope = 'year' and {{ in_changed_scope('plan_id') }}
)

select
    y.plan_id,
    y.indicator_id,
    y.name_zh,
    y.theme_code,
    y.year,
    a.indicator_id is not null as has_actual,
    a.source_kind,
    y.target_kind = 'table' and y.parent_seq is null as is_headline
from years as y
left join current_actuals as a on a.indicator_id = y.indicator_id and a.year = y.year
