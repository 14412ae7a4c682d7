select
    cast(input_kind as varchar) as input_kind,
    cast(file_name as varchar) as file_name,
    cast(sha256 as varchar) as sha256,
    cast(place as varchar) as place,
    cast(reason as varchar) as reason,
    cast(excerpt as varchar) as excerpt,
    cast(input_sha256 as varchar) as input_sha256
from {{ source('landing', 'rejections') }}
