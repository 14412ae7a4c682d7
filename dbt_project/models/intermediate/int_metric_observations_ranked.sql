-- One best observation per region, metric and year (the one ratios and chained series are built from).
select
    *,
    {{ value_kind_rank('value_kind') }} as value_kind_rank,
    {{ source_rank('source_kind') }} as source_rank,
    row_number() over (
        partition by region_code, metric_key, year
        order by {{ value_kind_rank('value_kind') }}, {{ source_rank('source_kind') }}, vintage_order desc, source_locator
    ) = 1 as is_best
from {{ ref('int_metric_observations_unioned') }}
