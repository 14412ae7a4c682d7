{#- Which of several values of the same indicator-year is current (SPEC §2, vintages): a reported value always beats
    an estimate or a lower bound; then the more official source; then the later edition. -#}
{% macro value_kind_rank(column) -%}
    case {{ column }}
        when 'reported' then 0
        when 'estimate' then 1
        when 'lower_bound' then 2
        when 'estimate_lower_bound' then 3
        else 4
    end
{%- endmacro %}

{% macro source_rank(column) -%}
    case {{ column }}
        when 'bulletin' then 1
        when 'submission' then 2
        when 'derived' then 2
        when 'plan_table' then 3
        when 'work_report' then 4
        when 'economic_report' then 4
        when 'plan_review' then 5
        when 'plan_proposal' then 6
        when 'news' then 7
        else 9
    end
{%- endmacro %}
