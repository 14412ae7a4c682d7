-- Dataset of 区域对比: every peer group member's value, rank, the group median and the source per compared metric
-- and year (rpt_peer_comparison), with the labels the charts show. The dashboard opens on is_current: the group's
-- first compared metric at the latest year that at least two members reported.
with peers as (
    select
        c.*,
        min(c.metric_order) over (partition by c.group_code) as first_metric_order,
        max(case when c.n_reported >= 2 then c.year end) over (partition by c.group_code, c.metric_key)
            as latest_compared_year
    from {{ ref('rpt_peer_comparison') }} as c
)

select
    p.group_code,
    p.group_zh,
    p.metric_key,
    p.metric_label_zh,
    p.metric_order,
    p.unit,
    p.year,
    cast(make_date(p.year, 1, 1) as date) as year_date,
    p.region_zh,
    p.member_order,
    p.is_focus_region,
    r.focus_label,
    p.value,
    case when p.value is null then '数据缺失' else cast(round(p.value, 2) as varchar) end as value_zh,
    p.value_kind,
    k.value_kind_zh,
    p.rank_in_group,
    cast(coalesce(p.rank_in_group, 99) as integer) as rank_sort,
    case when p.rank_in_group is null then '－' || p.region_zh || '（数据缺失）'
        else chr(cast(9311 + p.rank_in_group as integer)) || p.region_zh end as bar_label,
    case when p.rank_in_group is null then '—'
        else cast(p.rank_in_group as varchar) || '/' || cast(p.n_reported as varchar) end as rank_zh,
    p.n_reported,
    p.n_in_group,
    p.group_median,
    p.gap_to_median,
    p.source_kind,
    s.source_kind_zh,
    p.source_url,
    p.source_locator,
    coalesce(p.metric_order = p.first_metric_order and p.year = p.latest_compared_year, false) as is_current
from peers as p
left join {{ ref('peer_roles') }} as r on r.is_focus_region = p.is_focus_region
left join {{ ref('value_kinds') }} as k on k.value_kind = p.value_kind
left join {{ ref('source_kinds') }} as s on s.source_kind = p.source_kind
