-- Candidates of one indicator-year ordered by the vintage rule; rank 1 is current (see fct_indicator_actual).
-- Source precedence: seeds/source_kinds.csv (an unknown kind ranks last).
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with candidates as (
    select
        c.*,
        i.plan_id,
        {{ value_kind_rank('c.value_kind') }} as value_kind_rank,
        coalesce(sk.source_rank, 9) as source_rank,
        coalesce(c.basis_note like '现价%', false) as is_other_price_basis
    from {{ ref('int_indicator_actuals_gathered') }} as c
    inner join {{ ref('int_indicators_resolved') }} as i on c.indicator_id = i.indicator_id
    left join {{ ref('source_kinds') }} as sk on sk.source_kind = c.source_kind
    where {{ in_changed_scope('i.plan_id') }}
)

select
    *,
    row_number() over (
        partition by indicator_id, year, value_scope
        order by is_other_price_basis, value_kind_rank, source_rank, vintage_order desc, source_locator
    ) as vintage_rank
from candidates
