{#- Which of several values of the same indicator-year is current (SPEC §2, vintages): a reported value always beats
    an estimate or a lower bound; then the more official source (seeds/source_kinds.csv); then the later edition. -#}
{% macro value_kind_rank(column) -%}
    case {{ column }}
        when 'reported' then 0
        when 'estimate' then 1
        when 'lower_bound' then 2
        when 'estimate_lower_bound' then 3
        else 4
    end
{%- endmacro %}
