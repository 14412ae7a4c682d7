select
    cast(region_code as varchar) as region_code,
    cast(year as integer) as year,
    cast(name_zh as varchar) as name_zh,
    cast(value as double) as value,
    cast(value_text as varchar) as value_text,
    cast(unit as varchar) as unit,
    cast(aggregation as varchar) as aggregation,
    cast(source_document as varchar) as source_document,
    cast(source_locator as varchar) as source_locator,
    cast(excerpt as varchar) as source_excerpt,
    cast(input_sha256 as varchar) as input_sha256
from {{ source('landing', 'plan_review_figures') }}
