select
    p.plan_id,
    p.name_zh,
    p.region_code,
    r.region_zh,
    p.base_year,
    p.target_year,
    p.plan_ordinal,
    p.source_document
from {{ ref('stg_plan__plans') }} as p
left join {{ ref('stg_catalog__regions') }} as r on p.region_code = r.region_code
