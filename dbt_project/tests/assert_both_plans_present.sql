{{ config(meta={"dagster": {"ref": {"name": "dim_plan"}}}) }}
-- Both plans are in the warehouse: the 13th plan (its review table 专栏1) and the 14th plan (its indicators).
select 'fewer than two plans' as problem, n_plans
from (select count(*) as n_plans from {{ ref('dim_plan') }})
where n_plans < 2
