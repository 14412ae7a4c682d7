-- Every figure read from the bulletins, mapped to a metric key or not, with the sentence it came from.
select
    region_code,
    year,
    metric_key,
    label_zh,
    value,
    unit,
    growth_pct,
    document_id,
    locator,
    excerpt,
    region_zh,
    period,
    figure_kind,
    raw_value_text,
    raw_unit,
    growth_basis,
    document_title
from {{ ref('stg_bulletin__figures') }}
