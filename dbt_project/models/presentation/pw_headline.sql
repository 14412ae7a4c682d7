-- Dataset of the cockpit's headline table: per plan, the latest bulletin value of each headline metric
-- (seeds/headline_metrics.csv) in the plan's region. The plan selector (plan_option) picks the plan.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with latest as (
    select
        f.*,
        k.label_zh,
        k.sort_order
    from {{ ref('fct_bulletin_figure') }} as f
    inner join {{ ref('headline_metrics') }} as k on k.metric_key = f.metric_key
    where f.value is not null
        and f.region_code in (select region_code from {{ ref('dim_plan') }} where {{ in_changed_scope('plan_id') }})
    qualify row_number() over (partition by f.region_code, f.metric_key order by f.year desc, f.document_id desc) = 1
)

select
    p.plan_id,
    p.plan_option,
    p.is_current,
    l.label_zh as label,
    l.sort_order as sort_key,
    cast(l.value as double) as value,
    l.unit,
    cast(l.growth_pct as double) as growth_pct,
    cast(l.year as integer) as year,
    cast(l.year as varchar) || '年' as year_label,
    l.document_id
from latest as l
inner join {{ ref('dim_plan') }} as p on p.region_code = l.region_code
where {{ in_changed_scope('p.plan_id') }}
