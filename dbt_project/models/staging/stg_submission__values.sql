select
    cast(region_code as varchar) as region_code,
    cast(indicator_id as varchar) as indicator_id,
    cast(year as integer) as year,
    cast(value as double) as value,
    cast(value_text as varchar) as value_text,
    cast(unit as varchar) as unit,
    cast(source as varchar) as source,
    cast(note as varchar) as note,
    cast(source_locator as varchar) as source_locator,
    cast(excerpt as varchar) as source_excerpt,
    cast(input_sha256 as varchar) as input_sha256
from {{ source('landing', 'submission_values') }}
