-- The plausibility gate at landing (ingest/plausibility.py, ranges in catalog/plausible_ranges.yaml) keeps NaN,
-- ±inf and impossible numbers out; this test holds the line downstream: no observation and no actual that is not
-- a finite number, whatever a later change to a reader does.
select 'observation' as what, region_code as id, metric_key as item, year
from {{ ref('int_metric_observations_unioned') }}
where value is not null and not isfinite(value)
union all
select 'actual', indicator_id, source_kind, year
from {{ ref('fct_indicator_actual') }}
where value is not null and not isfinite(value)
