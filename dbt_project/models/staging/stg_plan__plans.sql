select
    cast(plan_id as varchar) as plan_id,
    cast(name_zh as varchar) as name_zh,
    cast(region_code as varchar) as region_code,
    cast(ordinal as integer) as plan_ordinal,
    cast(base_year as integer) as base_year,
    cast(target_year as integer) as target_year,
    cast(source_document as varchar) as source_document,
    cast(input_sha256 as varchar) as input_sha256
from {{ source('landing', 'plans') }}
