-- Dataset of 区域对比's sources table: each region's value in use per metric and year, as the source writes it and
-- where (fct_region_metric_year).
select
    f.region_zh,
    f.metric_label_zh,
    f.year,
    f.value_text,
    f.unit,
    f.value_kind,
    k.value_kind_zh,
    f.source_kind,
    s.source_kind_zh,
    f.source_document,
    f.source_url,
    f.source_locator,
    f.n_vintages
from {{ ref('fct_region_metric_year') }} as f
left join {{ ref('value_kinds') }} as k on k.value_kind = f.value_kind
left join {{ ref('source_kinds') }} as s on s.source_kind = f.source_kind
