select cast(region_code as varchar) as region_code
from {{ source('pipeline', 'changed_regions') }}
