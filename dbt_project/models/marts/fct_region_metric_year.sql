-- Every region, canonical metric and year with the value in use (the best observation: reported before estimate,
-- the more authoritative source, then the newest edition) and how many documents state it.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='region_code',
    on_schema_change='fail') }}
with observations as (
    select * from {{ ref('int_metric_observations_ranked') }}
    where {{ in_changed_scope('region_code') }}
),

documents as (
    select
        region_code,
        metric_key,
        year,
        cast(count(distinct source_document) as integer) as n_vintages
    from observations
    group by region_code, metric_key, year
)

select
    o.region_code,
    r.region_zh,
    o.metric_key,
    coalesce(m.metric_label_zh, o.metric_key) as metric_label_zh,
    cast(o.year as integer) as year,
    cast(o.value as double) as value,
    o.value_text,
    o.unit,
    o.value_kind,
    o.source_kind,
    o.source_document,
    case when o.source_document like 'http%' then o.source_document end as source_url,
    o.source_locator,
    o.source_excerpt,
    d.n_vintages
from observations as o
inner join documents as d
    on o.region_code = d.region_code and o.metric_key = d.metric_key and o.year = d.year
left join {{ ref('stg_catalog__regions') }} as r
    on o.region_code = r.region_code
left join {{ ref('stg_catalog__peer_metrics') }} as m
    on o.metric_key = m.metric_key
where o.is_best
