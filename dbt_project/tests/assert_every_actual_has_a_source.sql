-- No number without its source: document, location and extracted text.
select indicator_id, year, source_kind
from {{ ref('fct_indicator_actual') }}
where coalesce(trim(source_document), '') = ''
    or coalesce(trim(source_locator), '') = ''
    or coalesce(trim(source_excerpt), '') = ''
