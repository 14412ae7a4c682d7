-- Dataset of 数据质量's build panel: the last successful build (meta_build) and how long ago it was. A view, so
-- the hours since the build are counted when the dashboard asks, not when the build ran.
{{ config(materialized='view') }}
select
    cast(b.built_at as timestamp) as built_at,
    strftime(cast(b.built_at as timestamp), '%Y-%m-%d %H:%M') as built_at_text,
    b.run_id,
    cast(coalesce(
        b.newest_bulletin_year,
        (select max(c.year) from {{ ref('rpt_coverage') }} as c where c.has_actual)
    ) as integer) as newest_bulletin_year,
    cast(b.n_indicators as bigint) as n_indicators,
    cast(b.n_actuals as bigint) as n_actuals,
    cast(date_diff('minute', cast(b.built_at as timestamp), cast(now() as timestamp)) / 60.0 as double)
        as hours_since_build
from {{ ref('meta_build') }} as b
