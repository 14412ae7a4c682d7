-- The keys of the rows an incremental build replaces in the per-region models (macros/changed_scope.sql): the
-- changed regions, their plans and their indicators. A view: read live by every model that replaces rows, also
-- on a run that does not rebuild it.
{{ config(materialized='view') }}
with regions as (
    select region_code from {{ ref('stg_pipeline__changed_regions') }}
),

plans as (
    select plan_id from {{ ref('stg_plan__plans') }}
    where region_code in (select region_code from regions)
)

select 'region_code' as key_column, region_code as key_value from regions
union all
select 'plan_id', plan_id from plans
union all
select 'indicator_id', indicator_id from {{ ref('int_indicators_resolved') }}
where plan_id in (select plan_id from plans)
