-- Every actual of every indicator and year, all vintages kept. is_current marks the one in use (per indicator,
-- year and scope): a value on the plan's price basis before one on another basis; a reported value before an
-- estimate or a lower bound; then the more official source (bulletin > submission/derived > plan table >
-- work report > plan review > plan proposal > news); then the later edition.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
select
    indicator_id,
    year,
    value,
    coalesce(value_text, cast(round(value, 4) as varchar)) as value_text,
    source_kind,
    source_document,
    source_locator,
    source_excerpt,
    vintage,
    vintage_rank = 1 as is_current,
    plan_id,
    value_scope,
    value_kind,
    basis_note,
    vintage_rank
from {{ ref('int_indicator_actuals_ranked') }}
where {{ in_changed_scope('plan_id') }}
