-- Every observation of a canonical metric for a region and year, from every source, with its provenance:
-- bulletin figures (annual reports only; level and growth figures), published figures, and the results a plan
-- states in its review of the previous plan. Values are in the metric's canonical unit.
-- Incremental by input file (input_sha256), like fct_bulletin_figure: a night adds the observations of the files
-- it has not seen and the post-hook drops those of files that left the landing. A catalog change (figure names)
-- rebuilds the whole build file (orchestration/fingerprint.py plan_build).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='input_sha256',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where input_sha256 not in (
        select input_sha256 from {{ ref('stg_bulletin__figures') }}
        union all select input_sha256 from {{ ref('stg_published__figures') }}
        union all select input_sha256 from {{ ref('stg_plan__review_figures') }})"
) }}
with bulletin as (
    select
        region_code,
        metric_key,
        year,
        value,
        coalesce(raw_value_text || coalesce(raw_unit, ''), cast(value as varchar)) as value_text,
        unit,
        'bulletin' as source_kind,
        'reported' as value_kind,
        document_id as source_document,
        locator as source_locator,
        excerpt as source_excerpt,
        coalesce(document_title, document_id) as vintage,
        year + 1 as vintage_order,  -- a bulletin comes out the spring after its year
        input_sha256
    from {{ ref('stg_bulletin__figures') }}
    where metric_key is not null
        and period = 'annual'
        and figure_kind in ('level', 'growth', 'ratio')
        and region_code is not null
        and year is not null
),

published as (
    select
        region_code,
        metric_key,
        year,
        value,
        value_text,
        unit,
        source_kind,
        value_kind,
        source_url as source_document,
        source_locator,
        source_excerpt,
        source_kind || ' ' || coalesce(
            regexp_extract(source_url, '/(20[0-9][0-9])(0[1-9]|1[0-2])/', 1),
            regexp_extract(source_url, 't(20[0-9][0-9])[01][0-9][0-3][0-9]', 1),
            ''
        ) as vintage,
        -- the edition's year from the address (/202503/, t20251219), else the year after the figure's
        coalesce(
            try_cast(nullif(regexp_extract(source_url, '/(20[0-9][0-9])(0[1-9]|1[0-2])/', 1), '') as integer),
            try_cast(nullif(regexp_extract(source_url, 't(20[0-9][0-9])[01][0-9][0-3][0-9]', 1), '') as integer),
            year + 1
        ) as vintage_order,
        input_sha256
    from {{ ref('stg_published__figures') }}
    where metric_key is not null
),

review as (
    select
        p.region_code,
        n.metric_key,
        r.year,
        r.value,
        r.value_text,
        r.unit,
        'plan_review' as source_kind,
        case when r.value_text like '%左右' then 'estimate' else 'reported' end as value_kind,
        r.source_document,
        r.source_locator,
        r.source_excerpt,
        r.source_document as vintage,
        r.year + 1 as vintage_order,  -- the outline was adopted the year after its base year
        r.input_sha256
    from {{ ref('stg_plan__review_figures') }} as r
    inner join {{ ref('stg_catalog__figure_names') }} as n
        on r.name_zh = n.name_zh and r.unit = n.unit
    inner join (select distinct region_code from {{ ref('stg_plan__plans') }}) as p
        on r.region_code = p.region_code
    where r.aggregation = 'final_year'
)

select * from (
    select * from bulletin
    union all
    select * from published
    union all
    select * from review
) as observations
{% if is_incremental() %}
where input_sha256 not in (select input_sha256 from {{ this }})
{% endif %}
