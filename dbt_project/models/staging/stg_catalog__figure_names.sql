select
    cast(name_zh as varchar) as name_zh,
    cast(metric_key as varchar) as metric_key,
    cast(unit as varchar) as unit
from {{ source('landing', 'catalog_figure_names') }}
