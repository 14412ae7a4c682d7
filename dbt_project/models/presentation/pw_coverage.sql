-- Dataset of 数据质量's coverage figure and heatmaps, aggregated here so that a chart reads one row per indicator ×
-- year (issue 15: the heatmap used to average every plan's and region's cells on each request). Each row counts the
-- plan indicator-years behind the label (rpt_coverage: one per plan, indicator and year, up to the newest bulletin
-- year; later plan years cannot have data yet) and how many of them have a current actual. The charts' coverage is
-- sum(n_with_actual) / sum(n_cells), the same share as the average over the cells.
with cells as (
    select
        {{ indicator_label() }} as indicator_label,
        {{ theme_label() }} as theme_label,
        cast(c.year as integer) as year,
        i.target_kind = 'table' as is_table_indicator,
        cast(c.has_actual as integer) as has_actual
    from {{ ref('rpt_coverage') }} as c
    inner join {{ ref('dim_plan') }} as p on p.plan_id = c.plan_id
    inner join {{ ref('dim_indicator') }} as i on i.indicator_id = c.indicator_id
    left join {{ ref('dim_theme') }} as t on t.theme_code = c.theme_code
    where c.year <= coalesce((select max(newest_bulletin_year) from {{ ref('meta_build') }}), c.year)
)

select
    indicator_label,
    theme_label,
    year,
    cast(year as varchar) as year_label,
    is_table_indicator,
    cast(count(*) as bigint) as n_cells,
    cast(sum(has_actual) as bigint) as n_with_actual
from cells
group by indicator_label, theme_label, year, is_table_indicator
