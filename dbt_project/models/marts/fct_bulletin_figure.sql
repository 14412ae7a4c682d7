-- Every figure read from the bulletins, mapped to a metric key or not, with the sentence it came from.
-- Incremental by input file: a night inserts the rows of bulletin files it has not seen (by their SHA-256) and the
-- post-hook deletes the rows of files that left the landing (removed, changed, quarantined); the other files' rows
-- stay as they are. A change of the models, the readers or the catalog rebuilds the whole build file
-- (orchestration/fingerprint.py plan_build), so rows are never kept across a change of what made them.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='input_sha256',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where input_sha256 not in (select input_sha256 from {{ ref('stg_bulletin__figures') }})"
) }}
select
    region_code,
    year,
    metric_key,
    label_zh,
    value,
    unit,
    growth_pct,
    document_id,
    locator,
    excerpt,
    region_zh,
    period,
    figure_kind,
    raw_value_text,
    raw_unit,
    growth_basis,
    document_title,
    input_sha256
from {{ ref('stg_bulletin__figures') }}
{% if is_incremental() %}
where input_sha256 not in (select input_sha256 from {{ this }})
{% endif %}
