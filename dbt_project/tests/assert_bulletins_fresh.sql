{{ config(severity="warn", meta={"dagster": {"ref": {"name": "meta_build"}}}) }}
-- A warning, never a stop: the newest annual bulletin (统计公报) should not be older than the previous calendar year.
select newest_bulletin_year, year(current_date) - 1 as expected_at_least
from {{ ref('meta_build') }}
where newest_bulletin_year is null
    or newest_bulletin_year < year(current_date) - 1
