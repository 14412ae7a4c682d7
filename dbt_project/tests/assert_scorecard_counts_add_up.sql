{{ config(meta={"dagster": {"ref": {"name": "fct_theme_scorecard"}}}) }}
-- Per theme and year the status counts add up to the number of indicators, and the assessed ones to n_assessed.
select *
from {{ ref('fct_theme_scorecard') }}
where n_achieved + n_on_track + n_needs_acceleration + n_off_track + n_regressing + n_no_data <> n_indicators
    or n_indicators - n_no_data <> n_assessed
    or n_indicators <> (
        select count(*) from {{ ref('dim_indicator') }} as i
        where i.plan_id = {{ ref('fct_theme_scorecard') }}.plan_id
            and i.theme_code = {{ ref('fct_theme_scorecard') }}.theme_code
            and i.target_kind = 'table' and i.parent_seq is null
    )
