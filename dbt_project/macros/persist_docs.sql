{#- Table and column comments (persist_docs: the Chinese label and English description statisticians see in
    duckdb_columns() and the data dictionary), written only where the relation does not already carry them.
    An incremental model keeps its table, and with it its comments, from run to run; dbt-duckdb would rewrite
    every comment of every model on every build (about 440 statements and two column listings per model for one
    new bulletin). A changed description is a project change, which rebuilds everything (orchestration/
    fingerprint.py), and a table model is created anew each build: both still get every comment. -#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set wanted_relation = for_relation and config.persist_relation_docs() and model.description -%}
  {%- set wanted_columns = for_columns and config.persist_column_docs() and model.columns -%}
  {%- if wanted_relation or wanted_columns -%}
    {%- set present = planwatch_present_comments(relation) -%}
    {%- if wanted_relation and present.relation != model.description -%}
      {%- do run_query(alter_relation_comment(relation, model.description)) -%}
    {%- endif -%}
    {%- if wanted_columns -%}
      {#- dbt's own check: documented columns the relation lacks are reported, then left out -#}
      {%- set documented = validate_doc_columns(relation, model.columns, present.columns.keys() | list) -%}
      {%- set stale = {} -%}
      {%- for name, column in documented.items() -%}
        {%- if present.columns.get(name, '') != (column['description'] or '') -%}
          {%- do stale.update({name: column}) -%}
        {%- endif -%}
      {%- endfor -%}
      {%- if stale -%}
        {%- do run_query(alter_column_comment(relation, stale)) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}


{#- {relation: its comment, columns: {name: comment}} as the catalog has them now ('' for none) -#}
{% macro planwatch_present_comments(relation) -%}
  {%- set place -%}
    database_name = '{{ relation.database }}' and schema_name = '{{ relation.schema }}'
  {%- endset -%}
  {%- set listing -%}
    select null as column_name, coalesce(comment, '') as comment
    from duckdb_tables() where {{ place }} and table_name = '{{ relation.identifier }}'
    union all
    select null, coalesce(comment, '') from duckdb_views() where {{ place }} and view_name = '{{ relation.identifier }}'
    union all
    select column_name, coalesce(comment, '') from duckdb_columns()
    where {{ place }} and table_name = '{{ relation.identifier }}'
  {%- endset -%}
  {%- set present = {'relation': '', 'columns': {}} -%}
  {%- for row in run_query(listing).rows -%}
    {%- if row[0] is none -%}
      {%- do present.update({'relation': row[1]}) -%}
    {%- else -%}
      {%- do present.columns.update({row[0]: row[1]}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(present) }}
{%- endmacro %}
