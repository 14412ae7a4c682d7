-- The parser proposes, the catalog decides: table indicators take theme, direction, aggregation, price basis and
-- how their actual is obtained from the reviewed catalog; narrative targets keep the parser's proposals.
with targets as (
    select * from {{ ref('stg_plan__targets') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

table_rows as (
    select indicator_id, plan_id, name_zh, target_value
    from targets
    where target_kind = 'table'
),

-- A narrative sentence that restates a table indicator ("到2025年，外贸进出口总额达到20亿元") is linked to it, so the
-- scorecards count the indicator once.
restated as (
    select
        n.indicator_id,
        min(t.indicator_id) as same_as_indicator_id
    from targets as n
    inner join table_rows as t
        on n.plan_id = t.plan_id
        and n.target_value = t.target_value
        and (
            contains(replace(n.name_zh, 'GDP', '地区生产总值'), t.name_zh)
            or contains(t.name_zh, replace(n.name_zh, 'GDP', '地区生产总值'))
        )
    where n.target_kind = 'narrative'
    group by n.indicator_id
)

select
    t.indicator_id,
    t.plan_id,
    t.target_kind,
    t.seq,
    t.parent_seq,
    t.name_zh,
    c.name_en,
    t.unit,
    coalesce(c.theme_code, t.proposed_theme_code) as theme_code,
    case when c.indicator_id is not null then 'catalog' else t.proposed_theme_basis end as theme_basis,
    t.attribute,
    coalesce(c.target_aggregation, t.proposed_aggregation) as target_aggregation,
    coalesce(c.direction, t.proposed_direction, 1) as direction,
    case
        when t.notation_comparator is not null then t.notation_comparator
        when coalesce(c.direction, t.proposed_direction, 1) >= 0 then 'ge'
        else 'le'
    end as target_comparator,
    coalesce(c.price_basis, t.price_basis) as price_basis,
    c.path,
    c.accumulation,
    -- an unreviewed table row: the bulletin metric its name and unit match (as `planwatch catalog draft` proposes)
    case
        when c.indicator_id is not null then c.actual_kind
        when t.target_kind = 'table' and t.proposed_actual_metric is not null then 'metric'
        else 'submission'
    end as actual_kind,
    case when c.indicator_id is not null then c.actual_metric else t.proposed_actual_metric end as actual_metric,
    c.numerator_metric,
    c.denominator_metric,
    c.ratio_scale,
    c.cross_check_metric,
    c.cross_check_scale,
    c.plausible_low,
    c.plausible_high,
    c.structure_component,
    t.baseline_year,
    t.baseline_value,
    t.baseline_text,
    t.target_year,
    t.target_value,
    t.target_text,
    t.target_structure,
    t.target_relative_to,
    t.result_text,
    t.result_value,
    t.result_structure,
    t.section_zh,
    t.source_document,
    t.source_table,
    t.source_locator,
    t.source_excerpt,
    r.same_as_indicator_id,
    c.note as catalog_note,
    -- reviewed: a catalog entry decides; pending (待审核): the parser's proposals until a person reviews them
    case when c.indicator_id is not null then 'reviewed' else 'pending' end as review_status
from targets as t
left join catalog as c on t.indicator_id = c.indicator_id
left join restated as r on t.indicator_id = r.indicator_id
