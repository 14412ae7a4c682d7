select
    cast(metric_key as varchar) as metric_key,
    cast(label_zh as varchar) as metric_label_zh,
    cast(unit as varchar) as unit,
    cast(direction as integer) as direction,
    cast(sort_order as integer) as sort_order
from {{ source('landing', 'catalog_peer_metrics') }}
