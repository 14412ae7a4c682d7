{#- The formula of each progress method (SPEC §4), shown next to a status so a reader can check it. -#}
{% macro method_formula(column) -%}
    case {{ column }}
        when 'linear_gap' then 'P = d·(A−B)/|X−B|; R = P/e'
        when 'cagr' then 'R = CAGR_obs/CAGR_req; CAGR = (A/B)^(1/(t−b))−1; CAGR_req = (X/B)^(1/(T−b))−1'
        when 'hold_level' then 'X = B: met when A satisfies the comparator'
        when 'average_mean' then 'mean(A over plan years so far) vs X; R = mean/X'
        when 'cumulative_sum' then 'S = ΣA; R = S/(e·X); required = (X−S)/(T−t)'
        when 'cumulative_compound' then 'C = 1−Π(1−A/100); R = C/(1−(1−X/100)^e)'
        when 'qualitative' then 'verdict 达标/未达标'
        when 'structure' then 'component k of a:b:c vs target, by direction'
    end
{%- endmacro %}
