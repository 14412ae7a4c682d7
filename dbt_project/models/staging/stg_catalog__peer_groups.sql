select
    cast(group_code as varchar) as group_code,
    cast(group_zh as varchar) as group_zh,
    cast(region_code as varchar) as region_code,
    cast(is_focus as boolean) as is_focus,
    cast(member_order as integer) as member_order
from {{ source('landing', 'catalog_peer_groups') }}
