{{ config(meta={"dagster": {"ref": {"name": "dim_plan"}}}) }}
-- The dashboards open on exactly one plan per region (dim_plan.is_current).
select region_code, count(*) filter (where is_current) as n_current
from {{ ref('dim_plan') }}
group by region_code
having count(*) filter (where is_current) <> 1
