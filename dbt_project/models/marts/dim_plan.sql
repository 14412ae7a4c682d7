-- One row per plan, with where it stands on the as-of date (var as_of_date, default the build date): in force
-- (its plan years include the as-of year), finished (its target year is past), and the one the dashboards open on
-- for its region (the plan in force; where none is, the latest plan that has started).
{% set as_of = var('as_of_date') %}
with plans as (
    select
        p.plan_id,
        p.name_zh,
        p.region_code,
        r.region_zh,
        p.base_year,
        p.target_year,
        p.plan_ordinal,
        p.source_document,
        {% if as_of %}cast('{{ as_of }}' as date){% else %}current_date{% endif %} as as_of_date
    from {{ ref('stg_plan__plans') }} as p
    left join {{ ref('stg_catalog__regions') }} as r on p.region_code = r.region_code
),

standing as (
    select
        *,
        base_year < year(as_of_date) and year(as_of_date) <= target_year as is_in_force,
        target_year < year(as_of_date) as is_finished
    from plans
),

ranked as (
    select
        *,
        row_number() over (
            partition by region_code
            order by is_in_force desc, base_year < year(as_of_date) desc, target_year desc, plan_id
        ) = 1 as is_current
    from standing
)

select
    plan_id,
    name_zh,
    region_code,
    region_zh,
    base_year,
    target_year,
    plan_ordinal,
    source_document,
    as_of_date,
    is_in_force,
    is_finished,
    is_current,
    coalesce(nullif(regexp_extract(name_zh, '十[一二三四五六七八九]五', 0), ''), plan_id) as plan_short_zh,
    -- the plan selector's option, stable over time (a stored filter default stays valid): newest first when
    -- sorted descending; the dashboards open on the option whose plan is_current
    cast(base_year + 1 as varchar) || '–' || cast(target_year as varchar) || ' ' || name_zh as plan_option
from ranked
