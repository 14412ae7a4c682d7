-- One best observation per region, metric and year (the one ratios and chained series are built from).
-- Source precedence: seeds/source_kinds.csv (an unknown kind ranks last).
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='region_code',
    on_schema_change='fail') }}
select
    o.*,
    {{ value_kind_rank('o.value_kind') }} as value_kind_rank,
    coalesce(sk.source_rank, 9) as source_rank,
    row_number() over (
        partition by o.region_code, o.metric_key, o.year
        order by {{ value_kind_rank('o.value_kind') }}, coalesce(sk.source_rank, 9), o.vintage_order desc,
            o.source_locator
    ) = 1 as is_best
from {{ ref('int_metric_observations_unioned') }} as o
left join {{ ref('source_kinds') }} as sk on sk.source_kind = o.source_kind
where {{ in_changed_scope('o.region_code') }}
