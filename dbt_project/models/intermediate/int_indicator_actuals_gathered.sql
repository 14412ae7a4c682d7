-- Every candidate actual of every indicator and year, from the way the catalog says the actual is obtained,
-- each with its provenance. Several candidates of one indicator-year are all kept (vintages); the mart marks
-- the current one.
--   metric        an observation of the catalog's metric
--   ratio         numerator ÷ denominator × scale, from the best observation of each (per-capita, per-1,000 …)
--   chain_growth  constant-price series: baseline × Π(1 + real growth) from the base year on, no year missing
--   submission    a department's submitted value
--   plan figures  the plan's own 2020 column (专栏2) and 2020 完成值 (专栏1) count for every table indicator
-- value_scope: 'year' for the value of one year; 'plan_period' for an aggregate over the plan years as the plan
-- states it (专栏1's 8.4△ is the 2016-2020 average, 【30】 the 2016-2020 cumulative).
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='indicator_id',
    on_schema_change='fail') }}
with indicators as (
    select
        i.*,
        p.region_code
    from {{ ref('int_indicators_resolved') }} as i
    inner join {{ ref('stg_plan__plans') }} as p on i.plan_id = p.plan_id
    where {{ in_changed_scope('i.indicator_id') }}
),

observations as (
    select * from {{ ref('int_metric_observations_ranked') }}
),

-- The best observations of the metrics ratios divide. Filtering them first keeps a join of numerators with
-- denominators by region and year small whatever order the optimizer picks (joining all observations that way
-- first made 26M rows and 14 GB at 3,000 regions; bench/README.md).
ratio_observations as (
    select * from observations
    where is_best and metric_key in (
        select numerator_metric from indicators where actual_kind = 'ratio'
        union
        select denominator_metric from indicators where actual_kind = 'ratio'
    )
),

from_metric as (
    select
        i.indicator_id,
        o.year,
        o.value,
        o.value_text,
        'year' as value_scope,
        o.source_kind,
        o.value_kind,
        o.source_document,
        o.source_locator,
        o.source_excerpt,
        o.vintage,
        o.vintage_order,
        case
            when o.metric_key in ('gdp', 'gdp_per_capita', 'va_primary', 'va_secondary', 'va_tertiary', 'private_va')
                and o.year >= 2023 and i.baseline_year < 2023
                then '2023年第五次全国经济普查后的数据，与基期数据口径不同'
        end as basis_note
    from indicators as i
    inner join observations as o
        on i.actual_kind = 'metric'
        and o.metric_key = i.actual_metric
        and o.region_code = i.region_code
        and o.year between i.baseline_year and i.target_year
),

ratios as (
    select
        i.indicator_id,
        n.year,
        n.value / d.value * coalesce(i.ratio_scale, 1) as value,
        null as value_text,
        'year' as value_scope,
        'derived' as source_kind,
        case when n.value_kind = 'reported' and d.value_kind = 'reported' then 'reported' else 'estimate' end
            as value_kind,
        n.source_document || ' ÷ ' || d.source_document as source_document,
        n.source_locator || ' ÷ ' || d.source_locator as source_locator,
        n.source_excerpt || ' ‖ ' || d.source_excerpt as source_excerpt,
        'derived ' || i.numerator_metric || ' ÷ ' || i.denominator_metric as vintage,
        greatest(n.vintage_order, d.vintage_order) as vintage_order,
        cast(null as varchar) as basis_note
    from indicators as i
    inner join ratio_observations as n
        on i.actual_kind = 'ratio' and n.is_best and n.metric_key = i.numerator_metric
        and n.region_code = i.region_code and n.year between i.baseline_year and i.target_year
    inner join ratio_observations as d
        on d.is_best and d.metric_key = i.denominator_metric
        and d.region_code = i.region_code and d.year = n.year
    where d.value <> 0
),

-- The cross-check of a constant-price indicator at current prices (人均GDP at current prices for 人均GDP, 2020年价):
-- kept, flagged as another price basis, and only current when nothing on the plan's basis exists for that year.
cross_checks as (
    select
        i.indicator_id,
        o.year,
        o.value * coalesce(i.cross_check_scale, 1) as value,
        null as value_text,
        'year' as value_scope,
        o.source_kind,
        o.value_kind,
        o.source_document,
        o.source_locator,
        o.source_excerpt,
        o.vintage,
        o.vintage_order,
        '现价，与目标的' || coalesce(i.price_basis, '价格口径') || '不同' as basis_note
    from indicators as i
    inner join observations as o
        on i.cross_check_metric is not null and o.metric_key = i.cross_check_metric
        and o.region_code = i.region_code and o.year between i.baseline_year + 1 and i.target_year
),

growth_years as (
    select
        i.indicator_id,
        i.baseline_year,
        i.baseline_value,
        o.year,
        o.value as growth_pct,
        o.value_kind,
        o.source_document,
        o.source_locator,
        o.source_excerpt,
        o.vintage_order,
        sum(ln(1 + o.value / 100)) over (partition by i.indicator_id order by o.year) as log_chain,
        count(*) over (partition by i.indicator_id order by o.year) as years_chained
    from indicators as i
    inner join observations as o
        on i.actual_kind = 'chain_growth' and o.is_best and o.metric_key = i.actual_metric
        and o.region_code = i.region_code and o.year between i.baseline_year + 1 and i.target_year
    where i.baseline_value is not null
),

chained as (
    select
        indicator_id,
        year,
        baseline_value * exp(log_chain) as value,
        null as value_text,
        'year' as value_scope,
        'derived' as source_kind,
        value_kind,
        source_document,
        source_locator,
        '按可比价格链式推算：基期值 ' || baseline_value || ' × Π(1+增速)，' || year || '年增速 ' || growth_pct
            || '%：' || source_excerpt as source_excerpt,
        'derived chain from ' || baseline_year as vintage,
        vintage_order,
        cast(null as varchar) as basis_note
    from growth_years
    where years_chained = year - baseline_year  -- no year missing since the base year
),

from_submission as (
    select
        s.indicator_id,
        s.year,
        s.value,
        s.value_text,
        'year' as value_scope,
        'submission' as source_kind,
        'reported' as value_kind,
        s.source || '（' || split_part(s.source_locator, ':', 1) || '）' as source_document,
        s.source_locator,
        s.source_excerpt,
        'submission ' || split_part(s.source_locator, ':', 1) as vintage,
        s.year + 1 as vintage_order,
        cast(null as varchar) as basis_note
    from {{ ref('stg_submission__values') }} as s
    inner join indicators as i on s.indicator_id = i.indicator_id and s.region_code = i.region_code
),

plan_baseline as (
    select
        indicator_id,
        baseline_year as year,
        baseline_value as value,
        baseline_text as value_text,
        case when baseline_text like '【%' or baseline_text like '%△' then 'plan_period' else 'year' end
            as value_scope,
        'plan_table' as source_kind,
        'reported' as value_kind,
        source_document,
        source_locator,
        source_table || ' ' || name_zh || '：' || baseline_year || '年 ' || baseline_text as source_excerpt,
        source_document as vintage,
        baseline_year + 1 as vintage_order,
        cast(null as varchar) as basis_note
    from indicators
    where target_kind = 'table'
        and baseline_text is not null
        and baseline_text not in ('－', '-', '—')
),

plan_result as (
    select
        indicator_id,
        target_year as year,
        result_value as value,
        result_text as value_text,
        case when target_aggregation in ('average', 'cumulative') then 'plan_period' else 'year' end
            as value_scope,
        'plan_table' as source_kind,
        'reported' as value_kind,
        source_document,
        source_locator,
        source_table || ' ' || name_zh || '：' || target_year || '年完成值 ' || result_text as source_excerpt,
        source_document as vintage,
        target_year + 1 as vintage_order,
        cast(null as varchar) as basis_note
    from indicators
    where result_text is not null
)

select * from from_metric
union all select * from ratios
union all select * from cross_checks
union all select * from chained
union all select * from from_submission
union all select * from plan_baseline
union all select * from plan_result
