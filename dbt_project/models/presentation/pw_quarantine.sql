-- Dataset of 数据质量's quarantine table: every quarantined input and why (fct_quarantine).
select
    coalesce(k.input_kind_zh, q.input_kind) as input_kind_zh,
    q.file_name,
    q.place,
    q.reason,
    cast(q.quarantined_at as timestamp) as quarantined_at,
    left(q.sha256, 12) as sha256_short
from {{ ref('fct_quarantine') }} as q
left join {{ ref('input_kinds') }} as k on k.input_kind = q.input_kind
