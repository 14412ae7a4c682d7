-- Dataset of the cockpit's theme bar: per theme, the table indicators (专栏) of the current plan counted by
-- status bucket (seeds/status_buckets.csv); a bucket with none is null, so the bar shows no zero segment.
with status as (
    select s.*, sc.bucket
    from {{ ref('pw_current_status') }} as s
    inner join {{ ref('status_codes') }} as sc on sc.status = s.status
    where s.is_table_indicator
)

select
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
from {{ ref('dim_theme') }} as t
left join status as s on s.theme_code = t.theme_code
group by t.theme_zh, t.sort_order
