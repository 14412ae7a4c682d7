{{ config(meta={"dagster": {"ref": {"name": "fct_bulletin_figure"}}}) }}
-- No bulletin figure without its location in the document and the text it was read from (not null is not
-- enough: an empty string says nothing either).
select document_id, year, locator
from {{ ref('fct_bulletin_figure') }}
where coalesce(trim(locator), '') = ''
    or coalesce(trim(excerpt), '') = ''
