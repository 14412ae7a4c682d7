-- Dataset of 数据质量's coverage heatmaps: indicator × year, has an actual or not (rpt_coverage), up to the newest
-- bulletin year (later plan years cannot have data yet).
select
    c.plan_id,
    p.name_zh as plan_name,
    p.plan_option,
    {{ indicator_label() }} as indicator_label,
    {{ theme_label() }} as theme_label,
    cast(c.year as integer) as year,
    cast(c.year as varchar) as year_label,
    cast(c.has_actual as integer) as has_actual,
    c.source_kind,
    i.target_kind = 'table' as is_table_indicator
from {{ ref('rpt_coverage') }} as c
inner join {{ ref('dim_plan') }} as p on p.plan_id = c.plan_id
inner join {{ ref('dim_indicator') }} as i on i.indicator_id = c.indicator_id
left join {{ ref('dim_theme') }} as t on t.theme_code = c.theme_code
where c.year <= coalesce((select max(newest_bulletin_year) from {{ ref('meta_build') }}), c.year)
