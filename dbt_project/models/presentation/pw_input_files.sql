-- Dataset of 数据质量's inputs tables: every input file landing processed (fct_input_file); is_set_aside marks the
-- files read but not served (skipped, an older version of a plan, a conflicting document).
select
    coalesce(k.input_kind_zh, f.input_kind) as input_kind_zh,
    f.file_name,
    coalesce(s.input_status_zh, f.status) as status_zh,
    f.status = 'loaded' as is_loaded,
    f.status as status_code,
    f.status not in ('loaded', 'quarantined') as is_set_aside,
    f.reason,
    cast(f.n_records as bigint) as n_records,
    cast(f.processed_at as timestamp) as processed_at,
    left(f.sha256, 12) as sha256_short
from {{ ref('fct_input_file') }} as f
left join {{ ref('input_kinds') }} as k on k.input_kind = f.input_kind
left join {{ ref('input_statuses') }} as s on s.input_status = f.status
