-- The 13th plan's completion verdicts follow from 专栏1's own target and 完成值 columns, row by row. The expected
-- verdicts were read off the published table by hand: 未完成 are 1 (8.4△ < 10), 2 (10.4△ < 12.5), 4 (85 < 112),
-- 5 (131.1 < 142), 10 (tertiary share 51.7 < 59.7), 12 (2.6:1 wider than 2.4:1) and 25 (【480】 < 【500】).
with expected as (
    select unnest(range(1, 33)) as seq
),

verdicts as (
    select
        seq,
        seq not in (1, 2, 4, 5, 10, 12, 25) as expected_completed
    from expected
)

select v.seq, v.expected_completed, c.completed, c.verdict_status
from verdicts as v
left join {{ ref('rpt_plan_completion') }} as c
    on c.plan_id = 'qianjiang-13th' and c.seq = v.seq and c.parent_seq is null
where c.completed is distinct from v.expected_completed
    or c.verdict_status <> case when v.expected_completed then 'completed' else 'not_completed' end
