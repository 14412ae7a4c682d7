-- Each peer group, compared metric and year: every member with its value, its rank among the members that
-- reported (ties share a rank; direction -1 ranks the smaller value first), the group median and the gap to it.
-- A (group, metric, year) appears once any member reported it; a member that did not report has no value or rank.
with members as (
    select g.*, r.region_zh
    from {{ ref('stg_catalog__peer_groups') }} as g
    left join {{ ref('stg_catalog__regions') }} as r on g.region_code = r.region_code
),

metrics as (
    select * from {{ ref('stg_catalog__peer_metrics') }}
),

figures as (
    select f.*
    from {{ ref('fct_region_metric_year') }} as f
    where f.value is not null
),

reported as (
    select distinct g.group_code, f.metric_key, f.year
    from members as g
    inner join figures as f on g.region_code = f.region_code
    inner join metrics as m on f.metric_key = m.metric_key
),

grid as (
    select
        g.group_code,
        g.group_zh,
        g.region_code,
        g.region_zh,
        g.is_focus,
        g.member_order,
        m.metric_key,
        m.metric_label_zh,
        m.unit,
        m.direction,
        m.sort_order as metric_order,
        p.year
    from reported as p
    inner join members as g on p.group_code = g.group_code
    inner join metrics as m on p.metric_key = m.metric_key
),

valued as (
    select
        grid.*,
        f.value,
        f.value_text,
        f.value_kind,
        f.source_kind,
        f.source_document,
        f.source_url,
        f.source_locator
    from grid
    left join figures as f
        on grid.region_code = f.region_code and grid.metric_key = f.metric_key and grid.year = f.year
        and grid.unit = f.unit
),

ranked as (
    select
        *,
        case when value is not null then
            rank() over (
                partition by group_code, metric_key, year, value is null
                order by value * direction desc
            )
        end as rank_in_group,
        count(value) over (partition by group_code, metric_key, year) as n_reported,
        count(*) over (partition by group_code, metric_key, year) as n_in_group,
        median(value) over (partition by group_code, metric_key, year) as group_median
    from valued
)

select
    group_code,
    group_zh,
    metric_key,
    metric_label_zh,
    unit,
    cast(direction as integer) as direction,
    cast(metric_order as integer) as metric_order,
    cast(year as integer) as year,
    region_code,
    region_zh,
    cast(member_order as integer) as member_order,
    cast(is_focus as boolean) as is_focus_region,
    cast(value as double) as value,
    value_text,
    value_kind,
    cast(rank_in_group as integer) as rank_in_group,
    cast(n_reported as integer) as n_reported,
    cast(n_in_group as integer) as n_in_group,
    cast(group_median as double) as group_median,
    cast(round(value - group_median, 6) as double) as gap_to_median,  -- 0.4 - 0.5 is -0.09999999999999998
    source_kind,
    source_document,
    source_url,
    source_locator
from ranked
