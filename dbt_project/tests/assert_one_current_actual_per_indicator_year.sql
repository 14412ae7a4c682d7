-- One current actual per indicator, year and scope: the vintage rule must always pick exactly one.
select indicator_id, year, value_scope, count(*) as n_current
from {{ ref('fct_indicator_actual') }}
where is_current
group by all
having count(*) <> 1
