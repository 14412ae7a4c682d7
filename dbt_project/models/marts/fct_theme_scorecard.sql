-- Per plan, theme and year: how many headline indicators (the rows of the plan tables; '#' sub-rows and
-- narrative targets excluded) are in each status, and the share achieved-or-on-track among those assessed.
-- Qualitative verdicts count as achieved (达标) or off track (未达标): the bucket of seeds/status_codes.csv.
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
with progress as (
    select
        p.*,
        sc.bucket as status_group,
        b.status_group as attention_group
    from {{ ref('fct_indicator_progress') }} as p
    inner join {{ ref('status_codes') }} as sc on sc.status = p.status
    inner join {{ ref('status_buckets') }} as b on b.bucket = sc.bucket
    where p.is_headline and {{ in_changed_scope('p.plan_id') }}
),

themes as (
    select p.plan_id, t.theme_code, t.sort_order, y.year
    from {{ ref('dim_plan') }} as p
    cross join {{ ref('dim_theme') }} as t
    cross join lateral (select cast(unnest(range(p.base_year + 1, p.target_year + 1)) as integer) as year) as y
    where {{ in_changed_scope('p.plan_id') }}
)

select
    t.plan_id,
    t.theme_code,
    t.year,
    cast(count(p.indicator_id) as integer) as n_indicators,
    cast(count(p.indicator_id) filter (where p.status_group <> 'no_data') as integer) as n_assessed,
    cast(count(*) filter (where p.status_group = 'achieved') as integer) as n_achieved,
    cast(count(*) filter (where p.status_group = 'on_track') as integer) as n_on_track,
    cast(count(*) filter (where p.status_group = 'needs_acceleration') as integer) as n_needs_acceleration,
    cast(count(*) filter (where p.status_group = 'off_track') as integer) as n_off_track,
    cast(count(*) filter (where p.status_group = 'regressing') as integer) as n_regressing,
    cast(count(*) filter (where p.status_group = 'no_data') as integer) as n_no_data,
    cast(count(*) filter (
        where p.attribute = 'binding' and p.attention_group = 'needs_attention'
    ) as integer) as n_binding_failing,
    cast(
        (count(*) filter (where p.attention_group = 'good'))::double
        / nullif(count(p.indicator_id) filter (where p.status_group <> 'no_data'), 0)
        as double
    ) as share_on_track,
    t.sort_order as theme_sort_order
from themes as t
left join progress as p on p.plan_id = t.plan_id and p.theme_code = t.theme_code and p.year = t.year
group by t.plan_id, t.theme_code, t.year, t.sort_order
