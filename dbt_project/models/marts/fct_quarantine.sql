-- What was not taken in, and why: whole files that could not be read or that conflict with another document of
-- the same plan (level 'file'), and single rows or numbers rejected inside files that otherwise landed (level
-- 'row'; a figure failing the plausibility gate has a reason starting 'implausible: ').
select
    f.input_kind,
    f.file_name,
    f.sha256,
    f.place,
    f.reason,
    f.processed_at as quarantined_at,
    'file' as level,
    cast(null as varchar) as excerpt
from {{ ref('stg_ingest__input_files') }} as f
where f.status in ('quarantined', 'conflict')

union all

select
    r.input_kind,
    r.file_name,
    r.sha256,
    r.place,
    r.reason,
    f.processed_at as quarantined_at,
    'row' as level,
    r.excerpt
from {{ ref('stg_ingest__rejections') }} as r
left join {{ ref('stg_ingest__input_files') }} as f on f.sha256 = r.sha256 and f.input_kind = r.input_kind
