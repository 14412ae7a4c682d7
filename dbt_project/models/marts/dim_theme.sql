select
    theme_code,
    theme_zh,
    theme_en,
    sort_order
from {{ ref('stg_catalog__themes') }}
