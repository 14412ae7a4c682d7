-- Dataset of the cockpit's theme bar: per plan and theme, the table indicators (专栏) counted by status bucket
-- (seeds/status_buckets.csv); a bucket with none is null, so the bar shows no zero segment. The plan selector
-- (plan_option) picks the plan.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with status as (
    select s.*, sc.bucket
    from {{ ref('pw_indicator_status') }} as s
    inner join {{ ref('status_codes') }} as sc on sc.status = s.status
    where s.is_table_indicator and {{ in_changed_scope('s.plan_id') }}
)

select
    p.plan_id,
    p.plan_option,
    p.is_current,
    {{ theme_label() }} as theme_label,
    cast(t.sort_order as integer) as theme_order,
    cast(count(s.indicator_id) as bigint) as n_indicators,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'achieved'), 0) as bigint) as n_achieved,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'on_track'), 0) as bigint) as n_on_track,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'needs_acceleration'), 0) as bigint)
        as n_needs_acceleration,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'off_track'), 0) as bigint) as n_off_track,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'regressing'), 0) as bigint) as n_regressing,
    cast(nullif(count(s.indicator_id) filter (where s.bucket = 'no_data'), 0) as bigint) as n_no_data,
    cast(count(s.indicator_id) filter (where s.is_binding_at_risk) as bigint) as n_binding_risk
from {{ ref('dim_plan') }} as p
cross join {{ ref('dim_theme') }} as t
left join status as s on s.plan_id = p.plan_id and s.theme_code = t.theme_code
where {{ in_changed_scope('p.plan_id') }}
group by p.plan_id, p.plan_option, p.is_current, t.theme_zh, t.sort_order
