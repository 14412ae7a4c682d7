{#- Labels the dashboards show, defined once for every presentation model. -#}

{#- One label per indicator everywhere, so the indicator filter works across datasets: "十四五 03 人均地区生产总值".
    Needs dim_plan as p and dim_indicator as i. -#}
{% macro indicator_label(p='p', i='i') -%}
    {{ p }}.plan_short_zh || ' ' || coalesce(lpad(cast(coalesce({{ i }}.seq, {{ i }}.parent_seq) as varchar), 2, '0'), '—')
    || ' ' || {{ i }}.name_zh
{%- endmacro %}

{#- ①高质量发展 …: the circled number keeps the themes in the plan's order when a chart sorts by label. -#}
{% macro theme_label(t='t') -%}
    chr(cast(9311 + {{ t }}.sort_order as integer)) || {{ t }}.theme_zh
{%- endmacro %}
