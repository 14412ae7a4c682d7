-- One row about this build of the warehouse: when, which run, how fresh the newest bulletin is.
select
    current_timestamp as built_at,
    (select run_id from {{ ref('stg_pipeline__runs') }}) as run_id,
    (select max(year) from {{ ref('fct_bulletin_figure') }} where period = 'annual') as newest_bulletin_year,
    (select cast(count(*) as integer) from {{ ref('dim_indicator') }}) as n_indicators,
    (select cast(count(*) as integer) from {{ ref('fct_indicator_actual') }}) as n_actuals,
    (select cast(count(*) as integer) from {{ ref('fct_indicator_actual') }} where is_current) as n_current_actuals,
    (select cast(count(*) as integer) from {{ ref('fct_quarantine') }} where level = 'file') as n_quarantined_files,
    (select max(year) from {{ ref('fct_indicator_actual') }} where source_kind <> 'plan_table') as newest_actual_year,
    '{{ invocation_id }}' as dbt_invocation_id,
    -- landed inputs + dbt project + versions this build was made from, and the inputs before landing
    -- (orchestration/fingerprint.py); the run's own row, landed by the pipeline (not --vars: dbt keeps its parse)
    (select build_fingerprint from {{ ref('stg_pipeline__runs') }}) as build_fingerprint,
    (select input_fingerprint from {{ ref('stg_pipeline__runs') }}) as input_fingerprint
