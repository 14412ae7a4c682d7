select
    cast(input_kind as varchar) as input_kind,
    cast(file_name as varchar) as file_name,
    cast(sha256 as varchar) as sha256,
    cast(status as varchar) as status,
    cast(n_records as integer) as n_records,
    cast(place as varchar) as place,
    cast(reason as varchar) as reason,
    cast(processed_at as timestamp with time zone) as processed_at
from {{ source('landing', 'input_files') }}
