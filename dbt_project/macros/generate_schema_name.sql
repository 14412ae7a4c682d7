{#- Schemas are named exactly staging / intermediate / marts (not <target>_marts): statisticians' SQL and the
    dashboards rely on `marts.<table>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
