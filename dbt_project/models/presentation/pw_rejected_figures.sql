-- Dataset of 数据质量's rejected figures: every number the plausibility gate refused (fct_quarantine rows of level
-- 'row' whose reason starts 'implausible: '), with the file, the place, the reason and the text it came from.
select
    coalesce(k.input_kind_zh, q.input_kind) as input_kind_zh,
    q.file_name,
    q.place,
    q.reason,
    q.excerpt,
    cast(q.quarantined_at as timestamp) as quarantined_at,
    left(q.sha256, 12) as sha256_short
from {{ ref('fct_quarantine') }} as q
left join {{ ref('input_kinds') }} as k on k.input_kind = q.input_kind
where q.level = 'row' and starts_with(q.reason, 'implausible:')
