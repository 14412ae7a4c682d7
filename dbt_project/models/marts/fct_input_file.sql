-- Every file in the inbox as of the last landing run: its content hash and whether it landed.
select
    input_kind,
    file_name,
    sha256,
    status,
    n_records,
    processed_at,
    place,
    reason
from {{ ref('stg_ingest__input_files') }}
