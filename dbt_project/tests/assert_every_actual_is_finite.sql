-- The plausibility gate at landing (ingest/plausibility.py, ranges in catalog/plausible_ranges.yaml) keeps NaN,
-- ±inf and impossible numbers out; this test holds the line downstream: no actual that is not a finite number,
-- whatever a later change to a reader does.
select indicator_id, year, source_kind, value
from {{ ref('fct_indicator_actual') }}
where value is not null and not isfinite(value)
