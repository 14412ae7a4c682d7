-- Dataset of the cockpit's headline table: the latest bulletin value of each headline metric
-- (seeds/headline_metrics.csv) for the region of the plan the dashboards open on.
select
    k.label_zh as label,
    k.sort_order as sort_key,
    cast(f.value as double) as value,
    f.unit,
    cast(f.growth_pct as double) as growth_pct,
    cast(f.year as integer) as year,
    cast(f.year as varchar) || '年' as year_label,
    f.document_id
from {{ ref('fct_bulletin_figure') }} as f
inner join {{ ref('headline_metrics') }} as k on k.metric_key = f.metric_key
where f.region_code in (select region_code from {{ ref('dim_plan') }} where is_current)
    and f.value is not null
qualify row_number() over (partition by f.region_code, f.metric_key order by f.year desc, f.document_id desc) = 1
