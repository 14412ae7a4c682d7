select
    cast(region_code as varchar) as region_code,
    cast(name_zh as varchar) as region_zh,
    cast(slug as varchar) as region_slug
from {{ source('landing', 'catalog_regions') }}
