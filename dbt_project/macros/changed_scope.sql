{#- Region scope: how a per-region model takes in a night's changed figures without rebuilding its whole table.
    orchestration/fingerprint.py plan_build decides which regions' input files changed (only when no plan and no
    catalog entry changed: those rebuild everything) and lands them as source pipeline.changed_regions;
    int_changed_keys_listed turns them into the keys each model is partitioned by.

    A model opts in with
        config(materialized='incremental', incremental_strategy='region_scope', unique_key='<key column>',
               on_schema_change='fail')
    (key column: region_code, plan_id or indicator_id) and puts {{ in_changed_scope('<alias>.<key column>') }}
    in the where clause of the rows it is driven by. On a full build (no table yet) the filter is `true` and the
    table is created whole; on an incremental build the model computes only the changed keys' rows, and the
    strategy deletes every row of those keys (also rows the model no longer produces: a removed bulletin) before
    inserting the new ones. Only a model whose rows depend on nothing but its own region's inputs may opt in.
    A run with var as_of_date (a re-run of a past day: which plan is in force changes every plan's rows) replaces
    every row, as a full build would. -#}

{% macro changed_keys(key_column) -%}
    select key_value from {{ ref('int_changed_keys_listed') }} where key_column = '{{ key_column }}'
{%- endmacro %}

{% macro scoped_run() -%}
    {{ return(is_incremental() and not var('as_of_date')) }}
{%- endmacro %}

{% macro in_changed_scope(column) -%}
    {#- the ref is rendered at parse time too, so dbt records the dependency and builds the keys first -#}
    {%- set keys = changed_keys(config.get('unique_key')) -%}
    {%- if scoped_run() -%}{{ column }} in ({{ keys }}){%- else -%}true{%- endif -%}
{%- endmacro %}

{% macro get_incremental_region_scope_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    {%- if scoped_run() %} where {{ arg_dict['unique_key'] }} in ({{ changed_keys(arg_dict['unique_key']) }}){% endif %};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
