-- SPEC §4: progress of every indicator in every plan year, with every input beside its status.
-- Notation: base year b, target year T, baseline B, target X, actual A_t, direction d (+1 higher is better),
-- elapsed share e = (t - b) / (T - b).
--   linear_gap           P = d·(A_t − B)/|X − B|, R = P/e
--   cagr                 R = CAGR_obs / CAGR_req, CAGR = (A_t/B)^(1/(t−b)) − 1, CAGR_req = (X/B)^(1/(T−b)) − 1
--   hold_level           X = B: the target is met or not each year
--   average_mean         △: mean of the plan years so far vs X; R = mean/X (X/mean when lower is better)
--   cumulative_sum       【】 flows: S_t = Σ A vs e·X; R = S_t/(e·X)
--   cumulative_compound  【】 % reductions: C_t = 1 − Π(1 − A/100) vs the compound path; R = C_t/expected
--   qualitative          达标 / 未达标 verdicts;  structure  a:b:c, judged on the catalog's component
--   relative             高于GDP增长 …: A_t vs the actual of the indicator the target names (target_relative_to), year t
-- Region scope: an incremental build replaces only the changed regions' rows (macros/changed_scope.sql).
{{ config(materialized='incremental', incremental_strategy='region_scope', unique_key='plan_id',
    on_schema_change='fail') }}
{% set tol = var('approx_tolerance') %}
{% set on_track = var('on_track_threshold') %}
{% set slow = var('needs_acceleration_threshold') %}

with indicators as (
    select
        *,
        case
            when target_comparator = 'qualitative' then 'qualitative'
            when target_comparator = 'structure' then 'structure'
            when target_comparator like 'relative_%' then 'relative'
            when target_aggregation = 'average' then 'average_mean'
            when target_aggregation = 'cumulative' and accumulation = 'compound' then 'cumulative_compound'
            when target_aggregation = 'cumulative' then 'cumulative_sum'
            when baseline_value is not null and baseline_value = target_value then 'hold_level'
            when path = 'geometric' and baseline_value > 0 and target_value > 0 then 'cagr'
            else 'linear_gap'
        end as method
    from {{ ref('int_indicators_resolved') }}
    where {{ in_changed_scope('plan_id') }}
),

current_actuals as (
    select indicator_id, year, value, value_text, value_scope, source_kind, source_document, source_locator,
        basis_note
    from {{ ref('int_indicator_actuals_ranked') }}
    where vintage_rank = 1 and {{ in_changed_scope('plan_id') }}
),

-- base year (to anchor projections) and every plan year
years as (
    select i.*, cast(unnest(range(i.baseline_year, i.target_year + 1)) as integer) as year
    from indicators as i
),

yearly as (
    select
        y.*,
        (y.year - y.baseline_year) / (y.target_year - y.baseline_year) as elapsed_share,
        a.value as actual_value,
        a.value_text as actual_text,
        a.source_kind,
        a.source_document,
        a.source_locator,
        a.basis_note,
        p.value as period_value,
        p.value_text as period_text,
        r.value as relative_value,
        -- the point a trend line goes through: the baseline in the base year, the actual in plan years
        case when y.year = y.baseline_year then y.baseline_value else a.value end as trend_value,
        case
            when y.year > y.baseline_year and a.value is not null and a.value < 100
                then ln(1 - a.value / 100)
        end as log_remaining
    from years as y
    left join current_actuals as a
        on a.indicator_id = y.indicator_id and a.year = y.year and a.value_scope = 'year'
    left join current_actuals as p
        on p.indicator_id = y.indicator_id and p.year = y.year and p.value_scope = 'plan_period'
    left join current_actuals as r
        on r.indicator_id = y.target_relative_to and r.year = y.year and r.value_scope = 'year'
),

running as (
    select
        *,
        count(case when year > baseline_year then actual_value end) over w as n_years_observed,
        sum(case when year > baseline_year then actual_value end) over w as running_sum,
        avg(case when year > baseline_year then actual_value end) over w as running_mean,
        exp(sum(log_remaining) over w) as remaining_factor,
        regr_slope(trend_value, year) over w as trend_slope,
        regr_intercept(trend_value, year) over w as trend_intercept,
        count(trend_value) over w as trend_points
    from yearly
    window w as (partition by indicator_id order by year rows between unbounded preceding and current row)
),

assessed as (
    select
        *,
        year = target_year as is_final_year,
        -- the value the target condition is tested on: only in a year that has its own actual (a running mean
        -- or sum is not carried into years still without data), or the plan's own figure for the whole period
        case
            when year = target_year and period_value is not null then period_value
            when actual_value is null then null
            when method = 'average_mean' then running_mean
            when method = 'cumulative_sum' and n_years_observed = year - baseline_year then running_sum
            when method = 'cumulative_compound' and n_years_observed = year - baseline_year
                then (1 - remaining_factor) * 100
            when method in ('cumulative_sum', 'cumulative_compound') then null
            else actual_value
        end as assessed_value,
        coalesce(actual_text, case when year = target_year then period_text end) as assessed_text
    from running
    where year > baseline_year
),

conditions as (
    select
        *,
        case
            when method = 'qualitative' then
                case
                    when assessed_text in ('达标', '达到市上要求', '完成', '已完成', '完成市上下达任务') then true
                    when assessed_text in ('未达标', '未达到市上要求', '未完成') then false
                end
            when method = 'structure' then
                direction * (
                    try_cast(string_split(replace(assessed_text, '∶', ':'), ':')[structure_component] as double)
                    - try_cast(string_split(replace(target_text, '∶', ':'), ':')[structure_component] as double)
                ) >= 0
            when assessed_value is null then null
            when method = 'relative' and relative_value is null then null
            when target_comparator = 'relative_gt' then assessed_value > relative_value
            when target_comparator = 'relative_ge' then assessed_value >= relative_value
            when target_comparator = 'relative_approx'
                then abs(assessed_value - relative_value) <= {{ tol }} * abs(relative_value)
            when target_comparator = 'ge' then assessed_value >= target_value
            when target_comparator = 'gt' then assessed_value > target_value
            when target_comparator = 'le' then assessed_value <= target_value
            when target_comparator = 'lt' then assessed_value < target_value
            when target_comparator = 'approx'
                then direction * (assessed_value - target_value) >= -{{ tol }} * abs(target_value)
        end as condition_met,
        case
            when method = 'linear_gap' and baseline_value is not null and target_value <> baseline_value
                then direction * (actual_value - baseline_value) / abs(target_value - baseline_value)
            when method = 'cagr' then direction * (actual_value - baseline_value) / abs(target_value - baseline_value)
            when method = 'average_mean' and target_value <> 0 then
                case when direction >= 0 then assessed_value / target_value
                     when assessed_value > 0 then target_value / assessed_value end
            when method in ('cumulative_sum', 'cumulative_compound') and target_value <> 0
                then assessed_value / target_value
        end as progress_ratio,
        case
            when method = 'cagr' and actual_value > 0
                then pow(actual_value / baseline_value, 1.0 / (year - baseline_year)) - 1
        end as cagr_observed,
        case
            when method = 'cagr' then pow(target_value / baseline_value, 1.0 / (target_year - baseline_year)) - 1
        end as cagr_required,
        case
            when method = 'cumulative_compound'
                then (1 - pow(1 - target_value / 100, elapsed_share)) * 100
        end as compound_expected
    from assessed
),

paced as (
    select
        *,
        case
            when method = 'linear_gap' then progress_ratio / elapsed_share
            when method = 'cagr' and cagr_observed is not null and cagr_required <> 0 then cagr_observed / cagr_required
            -- CAGR is undefined for a zero or negative actual: fall back to the linear pace (then negative)
            when method = 'cagr' then progress_ratio / elapsed_share
            when method = 'average_mean' then progress_ratio
            when method = 'cumulative_sum' and target_value <> 0 then assessed_value / (elapsed_share * target_value)
            when method = 'cumulative_compound' and compound_expected <> 0 then assessed_value / compound_expected
        end as pace_ratio,
        case
            when method in ('linear_gap', 'hold_level')
                then baseline_value + (target_value - baseline_value) * elapsed_share
            when method = 'cagr' then baseline_value * pow(target_value / baseline_value, elapsed_share)
            when method = 'average_mean' then target_value
            when method = 'cumulative_sum' then elapsed_share * target_value
            when method = 'cumulative_compound' then compound_expected
        end as expected_value,
        case
            when method in ('linear_gap', 'hold_level') and trend_points >= 2 and actual_value is not null
                then trend_intercept + trend_slope * target_year
            when method = 'cagr' and cagr_observed is not null
                then actual_value * pow(1 + cagr_observed, target_year - year)
            when method = 'average_mean' then running_mean
            when method = 'cumulative_sum' and n_years_observed > 0
                then running_sum / n_years_observed * (target_year - baseline_year)
            when method = 'cumulative_compound' and n_years_observed > 0
                then (1 - pow(remaining_factor, (target_year - baseline_year) / n_years_observed)) * 100
        end as projected_value,
        case
            when year = target_year then null
            when method = 'linear_gap' and actual_value is not null
                then (target_value - actual_value) / (target_year - year)
            when method = 'cagr' and actual_value > 0
                then (pow(target_value / actual_value, 1.0 / (target_year - year)) - 1) * 100
            when method = 'average_mean' and (target_year - baseline_year) > n_years_observed
                then ((target_year - baseline_year) * target_value - coalesce(running_sum, 0))
                    / ((target_year - baseline_year) - n_years_observed)
            when method = 'cumulative_sum' and assessed_value is not null
                then (target_value - assessed_value) / (target_year - year)
            when method = 'cumulative_compound' and assessed_value is not null and assessed_value < 100
                then (1 - pow((1 - target_value / 100) / (1 - assessed_value / 100), 1.0 / (target_year - year))) * 100
        end as required_remaining
    from conditions
)

select
    *,
    case
        when method = 'qualitative' then
            case when condition_met then 'met' when not condition_met then 'not_met' else 'no_data' end
        when method = 'structure' then
            case when condition_met then 'achieved' when not condition_met then 'off_track' else 'no_data' end
        when method = 'relative' then
            case when condition_met then 'met' when not condition_met then 'not_met' else 'no_data' end
        when assessed_value is null then 'no_data'
        when year = target_year then
            case
                when condition_met then 'achieved'
                when coalesce(pace_ratio, progress_ratio) < 0 then 'regressing'
                else 'off_track'
            end
        when method = 'hold_level' then case when condition_met then 'achieved' else 'regressing' end
        when method <> 'average_mean' and condition_met then 'achieved'
        when pace_ratio is null then 'no_data'  -- no baseline to measure progress from
        when pace_ratio >= {{ on_track }} then 'on_track'
        when pace_ratio >= {{ slow }} then 'needs_acceleration'
        when pace_ratio >= 0 then 'off_track'
        else 'regressing'
    end as status,
    case when year = target_year then condition_met end as completed,
    case
        when method = 'average_mean' and n_years_observed < year - baseline_year
            then '均值按已有 ' || n_years_observed || ' 个年份计算'
        when method = 'cumulative_sum' and assessed_value is null and n_years_observed > 0
            then '缺少部分年份数据，累计值无法计算'
    end as coverage_note
from paced
