select
    cast(region_code as varchar) as region_code,
    cast(year as integer) as year,
    cast(name_zh as varchar) as name_zh,
    cast(metric_key as varchar) as metric_key,
    cast(value as double) as value,
    cast(value_text as varchar) as value_text,
    cast(unit as varchar) as unit,
    cast(raw_unit as varchar) as raw_unit,
    cast(value_kind as varchar) as value_kind,
    cast(note as varchar) as note,
    cast(source_kind as varchar) as source_kind,
    cast(source_url as varchar) as source_url,
    cast(source_locator as varchar) as source_locator,
    cast(excerpt as varchar) as source_excerpt,
    cast(input_sha256 as varchar) as input_sha256
from {{ source('landing', 'published_figures') }}
