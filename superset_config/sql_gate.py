"""The one gate every person's SQL passes before it reaches the served warehouse.

Used by Superset (SQL Lab, chart adhoc SQL, every chart query: superset_config.py wraps the DuckDB engine spec's
execute) and by `planwatch sql` (planwatch/warehouse_cli.py). Standard library and duckdb only, so both virtual
environments import it: the pipeline as `superset_config.sql_gate`, Superset as `sql_gate` (superset_config.py
puts this folder on sys.path).

The rule is an allow-list over the parsed statement, not a name check on the text:
- DuckDB's own parser (`extract_statements`) must find exactly one statement, of type SELECT;
- its parse tree (`json_serialize_sql`) may name only tables in the served schemas (SERVED_SCHEMAS, optionally in
  the SERVED_CATALOG) or its own CTEs, only the table functions in TABLE_FUNCTIONS and only the functions in
  FUNCTIONS (unqualified), with expressions of the kinds in EXPRESSION_CLASSES.
Everything else (COPY, ATTACH, EXPORT, PRAGMA, SET, CALL, CHECKPOINT, VACUUM, CREATE MACRO, query(), read_*(),
duckdb_settings(), current_setting(), …) is refused with a message naming what was refused and what is allowed.

CONNECTION_CONFIG is the DuckDB configuration of every connection a person's SQL runs on: no external access, no
spill directory (temp_directory '' and a 0-byte cap: a query that needs more than memory_limit fails instead of
writing), no extension loading, settings locked.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import duckdb


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The served contract: the marts, the dashboards' presentation models and the reference seeds (dbt_project.yml
# schemas). The intermediate tables also sit in the served file (publish drops only staging) but are not a contract:
# a query naming them is refused like any other schema.
SERVED_SCHEMAS = frozenset({"marts", "presentation", "reference"})
_SCHEMAS_TEXT = ", ".join(sorted(SERVED_SCHEMAS))
SERVED_CATALOG = "planwatch"  # the served file is planwatch.duckdb
# The database part of the URI Superset stores: no path (exports and the database API show it). Superset's
# DB_CONNECTION_MUTATOR (superset_config.py) puts the real file in at connect time.
SERVED_URI_DATABASE = "planwatch.duckdb"
MAX_SQL_CHARS = 100_000

CONNECTION_CONFIG: dict[str, Any] = {
    "enable_external_access": False,  # no file readers/writers, ATTACH, COPY TO, INSTALL
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "temp_directory": "",  # no spill directory anywhere (DuckDB otherwise creates <file>.tmp beside the served file)
    "max_temp_directory_size": "0KiB",
    "memory_limit": "2GB",
    "threads": 2,
    "lock_configuration": True,  # SET/RESET of any option refused (must stay last: it locks what precedes)
}

REFUSAL_PREFIX = "查询被拒绝 (refused)"
ALLOWED_SUMMARY = (
    f"only one read-only SELECT over the tables of {_SCHEMAS_TEXT} may run here, with analytical functions "
    f"(只允许一条只读 SELECT，查询 {_SCHEMAS_TEXT} 模式的表，使用统计分析函数)"
)

# Table functions a query may call in FROM: generators over values written in the query itself.
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest", "json_each", "json_tree"})

# Expression kinds of DuckDB's parse tree (the "class" of each node) a query may contain.
EXPRESSION_CLASSES = frozenset({
    "BETWEEN", "CASE", "CAST", "COLLATE", "COLUMN_REF", "COMPARISON", "CONJUNCTION", "CONSTANT", "FUNCTION",
    "LAMBDA", "LAMBDA_REF", "OPERATOR", "PARAMETER", "POSITIONAL_REFERENCE", "STAR", "SUBQUERY", "TYPE", "WINDOW",
})

# Scalar, aggregate and window functions (and the operators DuckDB's parser turns into functions) a query may call:
# arithmetic, text, dates, lists/structs/maps, JSON values, statistics. Nothing that reads files, runs SQL text,
# shows settings/paths/users, touches sequences or variables, sleeps or logs.
FUNCTIONS = _words("""
    + - * / // % ** ^ || & | << >> ~ ! ~~ !~~ ~~* !~~* ~~~ !~~~ ^@ @ @> <@ && -> ->> <-> = != < <= > >= <=>
    abs acos acosh add age asin asinh atan atan2 atanh bar bin bit_count bit_length bit_position bitstring cbrt
    ceil ceiling cos cosh cot degrees divide even exp factorial floor fmod gamma gcd greatest
    greatest_common_divisor isfinite isinf isnan lcm least least_common_multiple lgamma ln log log10 log2 mod
    multiply nextafter pi pow power radians round round_even roundbankers sign signbit sin sinh sqrt subtract tan
    tanh trunc xor fdiv equi_width_bins random uuid gen_random_uuid uuidv4 uuidv7 hash
    ascii bit_length char_length character_length chr concat concat_ws contains ends_with format format_bytes
    formatreadabledecimalsize formatreadablesize from_base64 to_base64 base64 hex unhex to_hex from_hex bin unbin
    ilike_escape instr lcase left left_grapheme len length length_grapheme like_escape lower lpad ltrim md5
    md5_number md5_number_lower md5_number_upper nfc_normalize not_ilike_escape not_like_escape octet_length ord
    overlay position prefix printf regexp_escape regexp_extract regexp_extract_all regexp_full_match
    regexp_matches regexp_replace regexp_split_to_array regexp_split_to_table repeat replace reverse right
    right_grapheme rpad rtrim sha1 sha256 split split_part starts_with str_split str_split_regex string_split
    string_split_regex string_to_array strip_accents strlen strpos substr substring substring_grapheme suffix
    translate trim ucase unicode upper url_decode url_encode encode decode damerau_levenshtein editdist3 hamming
    jaccard jaro_similarity jaro_winkler_similarity levenshtein mismatches to_base to_binary from_binary
    century current_date current_localtime current_localtimestamp date_add date_diff date_part date_sub
    date_trunc datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month decade
    epoch epoch_ms epoch_ns epoch_us era get_current_time get_current_timestamp hour isodow isoyear julian
    last_day make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond
    millennium millisecond minute month monthname nanosecond normalized_interval now quarter second strftime
    strptime time_bucket timezone timezone_hour timezone_minute to_centuries to_days to_decades to_hours
    to_microseconds to_millennia to_milliseconds to_minutes to_months to_quarters to_seconds to_timestamp
    to_weeks to_years today transaction_timestamp try_strptime week weekday weekofyear year yearweek
    aggregate apply array_aggr array_aggregate array_append array_apply array_cat array_concat array_contains
    array_cosine_distance array_cosine_similarity array_cross_product array_distance array_distinct
    array_dot_product array_extract array_filter array_grade_up array_has array_has_all array_has_any
    array_indexof array_inner_product array_intersect array_length array_negative_dot_product
    array_negative_inner_product array_pop_back array_pop_front array_position array_prepend array_push_back
    array_push_front array_reduce array_resize array_reverse array_reverse_sort array_select array_slice
    array_sort array_to_string array_to_string_comma_default array_transform array_unique array_value
    array_where array_zip cardinality element_at filter flatten generate_series generate_subscripts grade_up
    list_aggr list_aggregate list_any_value list_append list_apply list_approx_count_distinct list_avg
    list_bit_and list_bit_or list_bit_xor list_bool_and list_bool_or list_cat list_concat list_contains
    list_cosine_distance list_cosine_similarity list_count list_distance list_distinct list_dot_product
    list_element list_entropy list_extract list_filter list_first list_grade_up list_has list_has_all
    list_has_any list_histogram list_indexof list_inner_product list_intersect list_kurtosis list_kurtosis_pop
    list_last list_mad list_max list_median list_min list_mode list_negative_dot_product
    list_negative_inner_product list_pack list_position list_prepend list_product list_reduce list_resize
    list_reverse list_reverse_sort list_select list_sem list_skewness list_slice list_sort list_stddev_pop
    list_stddev_samp list_string_agg list_sum list_transform list_unique list_value list_var_pop list_var_samp
    list_where list_zip range reduce unnest
    map map_concat map_contains map_contains_entry map_contains_value map_entries map_extract
    map_extract_value map_from_entries map_keys map_values row struct_concat struct_contains struct_extract
    struct_extract_at struct_has struct_indexof struct_insert struct_keys struct_pack struct_position
    struct_update struct_values union_extract union_tag union_value
    from_json from_json_strict json json_array json_array_length json_contains json_exists json_extract
    json_extract_path json_extract_path_text json_extract_string json_group_array json_group_object
    json_group_structure json_keys json_merge_patch json_object json_pretty json_quote json_structure
    json_transform json_transform_strict json_type json_valid json_value to_json row_to_json array_to_json
    coalesce ifnull if nullif constant_or_null error typeof can_cast_implicitly cast_to_type
    any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_max_null
    arg_max_nulls_last arg_min arg_min_null arg_min_nulls_last argmax argmin array_agg avg bit_and bit_or
    bit_xor bitstring_agg bool_and bool_or corr count count_if count_star countif covar_pop covar_samp entropy
    favg first fsum geomean geometric_mean group_concat histogram histogram_exact kahan_sum kurtosis
    kurtosis_pop last list listagg mad max max_by mean median min min_by mode product quantile quantile_cont
    quantile_disc regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
    reservoir_quantile sem skewness stddev stddev_pop stddev_samp string_agg sum sumkahan var_pop var_samp
    variance wavg weighted_avg
    cume_dist dense_rank fill first_value lag last_value lead nth_value ntile percent_rank rank rank_dense
    row_number
""")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REFUSED_TABLE_REFS = frozenset({"COLUMN_DATA", "DELIM_GET", "BOUND_TABLE_REF", "CTE"})


class SqlRefused(ValueError):
    """The statement may not run; str() is the message shown to the person who sent it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{REFUSAL_PREFIX}: {reason}. {ALLOWED_SUMMARY}.")


# A private in-memory DuckDB only parses (extract_statements, json_serialize_sql): it never runs the query.
_parser_lock = threading.Lock()
_parser: duckdb.DuckDBPyConnection | None = None


def _parser_connection() -> duckdb.DuckDBPyConnection:
    global _parser
    if _parser is None:
        _parser = duckdb.connect(":memory:", config=dict(CONNECTION_CONFIG, memory_limit="64MB", threads=1))
    return _parser


def _parse(sql: str) -> dict:
    with _parser_lock:
        con = _parser_connection()
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise SqlRefused(f"the statement does not parse ({_first_line(exc)})") from None
        if len(statements) != 1:
            raise SqlRefused(f"{len(statements)} statements were sent; send exactly one (一次只能执行一条语句)")
        kind = statements[0].type.name
        if kind != "SELECT":
            raise SqlRefused(f"{kind} statements are not allowed, only SELECT (不允许 {kind} 语句)")
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise SqlRefused(f"the statement is not a plain SELECT ({tree.get('error_message', '')})")
    if len(tree.get("statements", [])) != 1:
        raise SqlRefused("send exactly one SELECT statement")
    return tree["statements"][0]


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _dicts(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def _cte_names(tree: dict) -> set[str]:
    names: set[str] = set()
    for node in _dicts(tree):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map", []):
                name = str(entry.get("key", ""))
                if not _IDENTIFIER.match(name):
                    raise SqlRefused(f"the CTE name {name!r} is not a plain identifier")
                names.add(name.lower())
    return names


def _check_table(node: dict, ctes: set[str]) -> None:
    catalog = str(node.get("catalog_name") or "")
    schema = str(node.get("schema_name") or "")
    table = str(node.get("table_name") or "")
    shown = ".".join(p for p in (catalog, schema, table) if p)
    if not catalog and not schema:
        if table.lower() in ctes:
            return
        if not _IDENTIFIER.match(table):
            raise SqlRefused(f"reading {table!r} is not allowed: no files, only the tables of {_SCHEMAS_TEXT} "
                             "(不允许读取文件)")
        raise SqlRefused(f"table {table!r} is not in a served schema; name it with its schema, e.g. marts.{table} "
                         "(请写明模式名，如 marts.表名)")
    if schema.lower() not in SERVED_SCHEMAS or catalog.lower() not in ("", SERVED_CATALOG):
        raise SqlRefused(f"table {shown} is outside the served schemas ({_SCHEMAS_TEXT}) "
                         f"(只能查询 {_SCHEMAS_TEXT} 模式的表)")


def _check_function(node: dict, allowed: frozenset[str], what: str) -> None:
    name = str(node.get("function_name") or "")
    if node.get("schema") or node.get("catalog"):
        qualified = ".".join(p for p in (node.get("catalog"), node.get("schema"), name) if p)
        raise SqlRefused(f"{what} {qualified} is not allowed (不允许的函数)")
    if name.lower() not in allowed:
        raise SqlRefused(f"{what} {name}() is not allowed (不允许的函数 {name})")


def _walk(node: Any, ctes: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, ctes)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if "class" in node:  # an expression
        if node["class"] not in EXPRESSION_CLASSES:
            raise SqlRefused(f"expressions of kind {node['class']} are not allowed")
        if "function_name" in node:
            _check_function(node, FUNCTIONS, "function")
    elif kind == "BASE_TABLE":
        _check_table(node, ctes)
    elif kind == "TABLE_FUNCTION":
        function = node.get("function") or {}
        _check_function(function, TABLE_FUNCTIONS, "table function")
        _walk(function.get("arguments"), ctes)
        return
    elif kind == "SHOW_REF":
        if node.get("query") is None or node.get("show_type") not in ("DESCRIBE", "SUMMARY"):
            raise SqlRefused(f"SHOW is not allowed; DESCRIBE/SUMMARIZE work on the tables of {_SCHEMAS_TEXT}")
    elif kind in _REFUSED_TABLE_REFS:
        raise SqlRefused(f"{kind} is not allowed")
    for value in node.values():
        if isinstance(value, (dict, list)):
            _walk(value, ctes)


def check(sql: str) -> None:
    """Raise SqlRefused unless `sql` is one read-only SELECT over the served schemas with allowed functions."""
    if not sql or not sql.strip():
        raise SqlRefused("the statement is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise SqlRefused(f"the statement is longer than {MAX_SQL_CHARS} characters")
    tree = _parse(sql)
    _walk(tree, _cte_names(tree))


def check_timed(sql: str) -> float:
    """check(sql) and return its cost in milliseconds (for the bench)."""
    started = time.perf_counter()
    check(sql)
    return (time.perf_counter() - started) * 1000
