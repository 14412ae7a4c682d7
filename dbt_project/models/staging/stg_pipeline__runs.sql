select
    cast(run_id as varchar) as run_id,
    cast(build_fingerprint as varchar) as build_fingerprint,
    cast(input_fingerprint as varchar) as input_fingerprint
from {{ source('pipeline', 'runs') }}
