select
    cast(theme_code as varchar) as theme_code,
    cast(theme_zh as varchar) as theme_zh,
    cast(theme_en as varchar) as theme_en,
    cast(sort_order as integer) as sort_order
from {{ source('landing', 'catalog_themes') }}
