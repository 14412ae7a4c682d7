"""Authoring aid for the dashboards bundle: writes the YAML under superset_config/bundle/.

The YAML files are what bootstrap imports (zipped, with the warehouse path put in the database URI). They are
written from the compact definitions below so that every chart's `params` and its `query_context` (needed by
`GET /api/v1/chart/{id}/data/`) stay consistent. Edit here, then run (in the Superset venv, which has PyYAML):

    superset_config/.venv/bin/python superset_config/author_bundle.py          # rewrite bundle/
    superset_config/.venv/bin/python superset_config/author_bundle.py --check  # exit 1 if bundle/ is stale

Every dataset is a physical dataset on a dbt presentation model (schema presentation, dbt_project/models/
presentation/): the SQL, its tests and contracts live in dbt. Column labels are the models' meta.label_zh, status
labels and colours come from dbt_project/seeds/, thresholds from the dbt vars in dbt_project.yml. Only metrics
(aggregates, cast to BIGINT/DOUBLE so no HUGEINT reaches Superset), charts and dashboards are defined here.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import uuid
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
NS = uuid.UUID("6f1d3c2e-8a57-4d0b-9a51-7c1e2b5f0a11")
DB_UUID = str(uuid.uuid5(NS, "database:planwatch"))
WAREHOUSE_TOKEN = "__PLANWATCH_WAREHOUSE_DB__"


def uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NS, f"{kind}:{name}"))


# ============================================================================================ database

DATABASE = {
    "database_name": "planwatch",
    "sqlalchemy_uri": f"duckdb:///{WAREHOUSE_TOKEN}",
    "cache_timeout": None,
    "expose_in_sqllab": True,
    "allow_run_async": False,
    "allow_ctas": False,
    "allow_cvas": False,
    "allow_dml": False,
    "allow_file_upload": False,
    "extra": {
        "engine_params": {
            "connect_args": {
                # read-only attach: the nightly run replaces the file with os.replace; every query opens it anew
                "read_only": True,
                "config": {
                    "enable_external_access": False,  # no read_csv/read_text/ATTACH/COPY TO/INSTALL
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "memory_limit": "2GB",
                    "threads": 2,
                    "lock_configuration": True,  # SET/RESET of any option refused
                },
            },
        },
        "metadata_params": {},
        "metadata_cache_timeout": {},
        "schemas_allowed_for_file_upload": [],
        "allows_virtual_table_explore": True,
        "disable_data_preview": False,
        "cost_estimate_enabled": False,
    },
    "impersonate_user": False,
    "uuid": DB_UUID,
    "version": "1.0.0",
}

# ============================================================================================ dbt: labels, enumerations

# Every dataset is a physical dataset on a dbt presentation model (schema presentation). Column labels come from the
# model's YAML (meta.label_zh), colours and status labels from the dbt seeds, thresholds from the dbt vars: this
# script restates none of them.
DBT = HERE.parent / "dbt_project"
MODEL_DIRS = ("presentation", "marts")  # the served contract schemas whose models a dataset may read
SEEDS = DBT / "seeds"
DTTM_TYPES = {"date", "timestamp"}


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _dbt_models() -> dict[str, dict]:
    """Every model of the presentation and marts folders as its YAML documents it, with the schema it is built in."""
    models: dict[str, dict] = {}
    for schema in MODEL_DIRS:
        for path in sorted((DBT / "models" / schema).glob("_*.yml")):
            for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
                models[model["name"]] = {**model, "schema": schema}
    return models


def _dbt_vars() -> dict:
    return yaml.safe_load((DBT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


MODELS = _dbt_models()
BUCKETS = sorted(_seed("status_buckets"), key=lambda r: int(r["sort_order"]))
STATUSES = sorted(_seed("status_codes"), key=lambda r: int(r["sort_order"]))
BUCKET_COLOUR = {b["bucket"]: b["colour"] for b in BUCKETS}
STATUS_ZH = {s["status"]: s["status_zh"] for s in STATUSES}
# a bucket's label: its progress statuses' labels, e.g. 已实现/达标 (labels are written only in status_codes.csv)
BUCKET_ZH = {b["bucket"]: "/".join(s["status_zh"] for s in STATUSES if s["bucket"] == b["bucket"] and not s["symbol"])
             for b in BUCKETS}
# the progress statuses (not the completion verdicts) in the group needs_attention, in display order
ATTENTION_ZH = [s["status_zh"] for s in STATUSES if not s["symbol"] and
                next(b for b in BUCKETS if b["bucket"] == s["bucket"])["status_group"] == "needs_attention"]
ATTENTION_TEXT = "、".join(ATTENTION_ZH[:-1]) + "或" + ATTENTION_ZH[-1]
GOOD_TEXT = f"{STATUS_ZH['achieved']}或{STATUS_ZH['on_track']}"
VARS = _dbt_vars()

# ============================================================================================ datasets


def met(name, verbose, expression, *, fmt=None, desc=None):
    return {"metric_name": name, "verbose_name": verbose, "expression": expression, "d3format": fmt,
            "description": desc}


def count_if(cond: str) -> str:
    return f"CAST(COUNT(*) FILTER (WHERE {cond}) AS BIGINT)"


GOOD = "status_group = 'good'"
ASSESSED = "status_group <> 'no_data'"
ATTENTION = "needs_attention"

STATUS_METRICS = [
    met("n_total", "指标数", "CAST(COUNT(*) AS BIGINT)"),
    met("n_good", GOOD_TEXT, count_if(GOOD)),
    met("n_attention", f"需关注（{'/'.join(ATTENTION_ZH)}）", count_if(ATTENTION)),
    met("n_binding_risk", "约束性指标风险", count_if("is_binding_at_risk")),
    met("n_no_data", STATUS_ZH["no_data"], count_if("status_group = 'no_data'")),
    met("share_good", f"{GOOD_TEXT}占比",
        f"CAST({count_if(GOOD)} AS DOUBLE) / nullif({count_if(ASSESSED)}, 0)", fmt=".0%"),
]

DATASETS: dict[str, dict] = {}


def dataset(name: str, metrics=(), cache_timeout: int | None = None):
    """A physical dataset on the dbt model `name` (presentation or marts): its columns, types and labels from the
    model's YAML. cache_timeout (seconds): how long Superset may answer its charts from the data cache; None = the
    data cache's default (superset_config.DATA_CACHE_CONFIG, which a publish invalidates)."""
    model = MODELS[name]
    columns = [{
        "column_name": c["name"],
        "verbose_name": c["meta"]["label_zh"],
        "type": c["data_type"].upper(),
        "is_dttm": c["data_type"] in DTTM_TYPES,
        "description": c["description"].partition(" · ")[2] or None,
    } for c in model["columns"]]
    DATASETS[name] = {
        "table_name": name,
        "main_dttm_col": next((c["column_name"] for c in columns if c["is_dttm"]), None),
        "description": " ".join(model["description"].split()),
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": cache_timeout,
        "catalog": None,
        "schema": model["schema"],
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": uid("dataset", name),
        "metrics": [
            {**m, "metric_type": None, "currency": None, "extra": {}, "warning_text": None} for m in metrics
        ],
        "columns": [
            {**c, "is_active": True, "advanced_data_type": None, "groupby": True, "filterable": True,
             "expression": None, "python_date_format": None, "extra": {}} for c in columns
        ],
        "version": "1.0.0",
        "database_uuid": DB_UUID,
    }


dataset("pw_indicator_status", STATUS_METRICS)

# the cockpit's stacked bar: one series per status bucket, labelled and coloured from seeds/status_buckets.csv
THEME_BUCKET_METRICS = [f"sum_n_{b['bucket']}" for b in BUCKETS]
dataset("pw_theme_status",
        [met(f"sum_n_{b['bucket']}", BUCKET_ZH[b["bucket"]], f"CAST(SUM(n_{b['bucket']}) AS BIGINT)") for b in BUCKETS]
        + [met("sum_n_indicators", "指标数", "CAST(SUM(n_indicators) AS BIGINT)")])
dataset("pw_headline")
dataset("pw_indicator_progress",
        [met("actual", "实际值", "MAX(actual_value)"), met("expected", "规划路径", "MAX(expected_value)"),
         met("projected", "趋势预测", "MAX(projected_value)")])
dataset("pw_indicator_info")
dataset("pw_indicator_sources")
dataset("pw_completion",
        [met("n_rows", "指标数", "CAST(COUNT(*) AS BIGINT)"),
         met("n_completed", STATUS_ZH["completed"], count_if("completed")),
         met("n_not_completed", STATUS_ZH["not_completed"], count_if("NOT completed")),
         met("n_binding_not_completed", f"约束性指标{STATUS_ZH['not_completed']}",
             count_if("NOT completed AND is_binding"))])
# pre-aggregated by dbt to one row per indicator × year (issue 15): the metrics add the rows' counts up
dataset("pw_coverage",
        [met("coverage", "有数据的比例", "CAST(SUM(n_with_actual) AS DOUBLE) / nullif(SUM(n_cells), 0)", fmt=".0%"),
         met("n_cells", "指标年数", "CAST(SUM(n_cells) AS BIGINT)"),
         met("n_missing", "缺数的指标年数", "CAST(SUM(n_cells - n_with_actual) AS BIGINT)")])
# hours_since_build is counted when asked (a view): cached for 5 minutes at most, under the 0.1 h it is shown to
dataset("pw_build",
        [met("hours_since_build_max", "距上次成功构建(小时)", "CAST(MIN(hours_since_build) AS DOUBLE)", fmt=".1f"),
         met("newest_year", "最新数据年份", "CAST(MAX(newest_bulletin_year) AS BIGINT)", fmt="d")],
        cache_timeout=300)
dataset("pw_quarantine", [met("n_quarantined", "隔离文件数", "CAST(COUNT(*) AS BIGINT)")])
dataset("pw_input_files",
        [met("n_files", "文件数", "CAST(COUNT(*) AS BIGINT)"), met("n_loaded", "已载入", count_if("is_loaded"))])
dataset("pw_rejected_figures", [met("n_rejected", "被拒绝的数值", "CAST(COUNT(*) AS BIGINT)")])
dataset("pw_peer_comparison",
        [met("value_max", "数值", "MAX(value)", fmt=",.2~f"),
         met("focus_rank", "本地区位次", "MIN(rank_in_group) FILTER (WHERE is_focus_region)", fmt="d"),
         met("reported_max", "已公布地区数", "CAST(MAX(n_reported) AS BIGINT)", fmt="d")])
dataset("pw_region_figures")
_presentation = {n for n, m in MODELS.items() if m["schema"] == "presentation"}
assert _presentation <= set(DATASETS), f"presentation models without a dataset: {_presentation - set(DATASETS)}"

# ============================================================================================ charts

CHARTS: dict[str, dict] = {}


def _query(dataset_name: str, params: dict, columns: list, metrics: list | None, orderby: list, row_limit: int,
           extra_filters: list | None = None) -> str:
    query = {
        "filters": extra_filters or [],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "columns": columns,
        "metrics": metrics,
        "orderby": orderby,
        "annotation_layers": [],
        "row_limit": row_limit,
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "post_processing": [],
    }
    if metrics is None:  # raw records: no metrics key at all, or Superset adds a GROUP BY
        del query["metrics"]
    context = {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }
    return json.dumps(context, ensure_ascii=False, sort_keys=True)


def chart(key: str, title: str, dataset_name: str, viz_type: str, params: dict, *, columns: list,
          metrics: list | None, orderby: list | None = None, row_limit: int = 1000, description: str | None = None,
          where: str | None = None):
    params = {
        "datasource": "0__table",
        "viz_type": viz_type,
        "adhoc_filters": [],
        "extra_form_data": {},
        "dashboards": [],
        **params,
    }
    extra_filters: list = []
    if where:
        params["adhoc_filters"] = [*params["adhoc_filters"], {
            "expressionType": "SQL", "sqlExpression": where, "clause": "WHERE", "subject": None,
            "operator": None, "comparator": None, "isExtra": False, "isNew": False,
            "filterOptionName": f"filter_{key}",
        }]
    context = _query(dataset_name, params, columns, metrics, orderby or [], row_limit, extra_filters)
    if where:
        ctx = json.loads(context)
        ctx["queries"][0]["extras"]["where"] = f"({where})"
        context = json.dumps(ctx, ensure_ascii=False, sort_keys=True)
    CHARTS[key] = {
        "slice_name": title,
        "description": description,
        "certified_by": None,
        "certification_details": None,
        "viz_type": viz_type,
        "params": params,
        "query_context": context,
        "cache_timeout": None,
        "uuid": uid("chart", key),
        "version": "1.0.0",
        "dataset_uuid": uid("dataset", dataset_name),
    }


def big_number(key, title, dataset_name, metric, subheader="", fmt="SMART_NUMBER", where=None, description=None):
    chart(key, title, dataset_name, "big_number_total",
          {"metric": metric, "subheader": subheader, "subtitle": subheader, "y_axis_format": fmt,
           "header_font_size": 0.4, "subheader_font_size": 0.15, "time_format": "smart_date",
           "force_timestamp_formatting": False},
          columns=[], metrics=[metric], row_limit=1, where=where, description=description)


NUMBER_FORMATS = {
    "latest_actual": ",.2~f", "value": ",.2~f", "growth_pct": ".1f", "pace_ratio": ".2f",
    "required_remaining": ",.2~f", "actual_value": ",.2~f", "expected_value": ",.2~f",
    "projected_value": ",.2~f", "hours_since_build": ".1f", "n_records": ",d", "n_actuals": ",d",
}


def table(key, title, dataset_name, columns, order_by, *, row_limit=1000, page_length=0, where=None,
          conditional=None, column_config=None, description=None):
    column_config = {**{c: {"d3NumberFormat": NUMBER_FORMATS[c]} for c in columns if c in NUMBER_FORMATS},
                     **(column_config or {})}
    chart(key, title, dataset_name, "table",
          {"query_mode": "raw", "all_columns": columns, "groupby": [], "metrics": [], "percent_metrics": [],
           "order_by_cols": [json.dumps([c, asc]) for c, asc in order_by], "row_limit": row_limit,
           "server_pagination": False, "server_page_length": page_length or 10, "include_search": False,
           "show_cell_bars": False, "color_pn": False, "allow_rearrange_columns": False,
           "allow_render_html": False, "table_timestamp_format": "%Y-%m-%d %H:%M",
           "conditional_formatting": conditional or [], "column_config": column_config or {},
           "page_length": page_length or None},
          columns=columns, metrics=None, orderby=[[c, asc] for c, asc in order_by], row_limit=row_limit,
          where=where, description=description)


# Colours: each status label, bucket label, bucket series and completion verdict takes its bucket's colour from
# seeds/status_buckets.csv (the only place a traffic-light colour is written); the path chart's series colours are
# written once here. The dashboard metadata maps labels to them.
PATH_SERIES = {"actual": ("实际值", "#1F5FAD"), "expected": ("规划路径", "#7F7F7F"),
               "projected": ("趋势预测", "#E8862A")}
STATUS_COLORS = {
    **{BUCKET_ZH[b["bucket"]]: b["colour"] for b in BUCKETS},
    **{s["status_zh"]: BUCKET_COLOUR[s["bucket"]] for s in STATUSES},
    **{f"{s['symbol']} {s['status_zh']}": BUCKET_COLOUR[s["bucket"]] for s in STATUSES if s["symbol"]},
    **{f"sum_n_{b['bucket']}": b["colour"] for b in BUCKETS},
    **{label: colour for label, colour in PATH_SERIES.values()},
    **{key: colour for key, (_, colour) in PATH_SERIES.items()},
}

# --- 1 领导驾驶舱 -------------------------------------------------------------------------------------------
TABLE_ONLY = "is_table_indicator"
big_number("cockpit_total", "主要指标", "pw_indicator_status", "n_total", "项：现行规划指标表（专栏）",
           where=TABLE_ONLY)
big_number("cockpit_good", GOOD_TEXT, "pw_indicator_status", "n_good", "项", where=TABLE_ONLY)
big_number("cockpit_attention", "需关注的指标", "pw_indicator_status", "n_attention", f"项：{ATTENTION_TEXT}",
           where=TABLE_ONLY)
big_number("cockpit_binding", "约束性指标风险", "pw_indicator_status", "n_binding_risk", "项约束性指标未达进度",
           where=TABLE_ONLY)
big_number("cockpit_nodata", STATUS_ZH["no_data"], "pw_indicator_status", "n_no_data", "项尚无实际值", where=TABLE_ONLY)
chart("cockpit_theme_bar", "各主题指标进展", "pw_theme_status", "echarts_timeseries_bar",
      {"x_axis": "theme_label", "metrics": THEME_BUCKET_METRICS, "groupby": [],
       "stack": "Stack", "orientation": "vertical", "show_value": True, "only_total": True,
       "show_legend": True, "legendType": "plain", "legendOrientation": "top", "x_axis_sort": "theme_label",
       "x_axis_sort_asc": True, "x_axis_title": "", "y_axis_title": "指标数（项）", "y_axis_title_margin": 30,
       "y_axis_title_position": "Left", "y_axis_format": "SMART_NUMBER", "rich_tooltip": True,
       "tooltipTimeFormat": "smart_date", "truncate_metric": True, "row_limit": 100, "color_scheme":
       "planwatchStatus", "time_grain_sqla": None, "zoomable": False, "xAxisLabelRotation": 0},
      columns=["theme_label"], metrics=THEME_BUCKET_METRICS,
      orderby=[["theme_label", True]], row_limit=100,
      description="现行规划指标表中的指标按最新评估状态计数")
table("cockpit_latest", "主要指标最新值", "pw_indicator_status",
      ["name_zh", "latest_actual", "unit", "latest_year", "target_text", "status_zh"],
      [("theme_order", True), ("seq", True)], where="is_table_indicator AND latest_actual IS NOT NULL",
      description="现行规划指标表中已有实际值的指标：最新值及其年份、规划目标与状态")
table("cockpit_binding_table", "约束性指标风险清单", "pw_indicator_status",
      ["theme_label", "name_zh", "target_text", "latest_actual", "unit", "latest_year", "status_zh"],
      [("theme_order", True), ("seq", True)], where="is_binding_at_risk",
      description=f"约束性指标中最新评估为{ATTENTION_TEXT}或未完成的；为空表示没有风险")
table("cockpit_attention_table", f"需关注的指标（{' / '.join(ATTENTION_ZH)}）", "pw_indicator_status",
      ["theme_label", "name_zh", "scope_zh", "attribute_zh", "target_text", "latest_actual", "unit", "latest_year",
       "status_zh", "pace_ratio"],
      [("status_order", False), ("theme_order", True), ("seq", True)], where=ATTENTION)
table("cockpit_headline", "主要经济指标（统计公报最新数）", "pw_headline",
      ["label", "value", "unit", "growth_pct", "year_label"], [("sort_key", True)],
      description="统计公报中读到的主要经济指标，各取最新年份；为空表示尚未读入公报")

# --- 2 主题详情 -------------------------------------------------------------------------------------------
big_number("theme_total", "本主题主要指标", "pw_indicator_status", "n_total", "项：规划指标表（专栏）",
           where=TABLE_ONLY)
big_number("theme_good", GOOD_TEXT, "pw_indicator_status", "n_good", "项主要指标", where=TABLE_ONLY)
big_number("theme_attention", "需关注", "pw_indicator_status", "n_attention", f"项主要指标：{ATTENTION_TEXT}",
           where=TABLE_ONLY)
chart("theme_status_pie", "本主题主要指标状态分布", "pw_indicator_status", "pie",
      {"groupby": ["status_zh"], "metric": "n_total", "show_labels": True, "label_type": "value",
       "labels_outside": False, "donut": True, "innerRadius": 35, "outerRadius": 75, "show_legend": True,
       "legendType": "plain", "legendOrientation": "right",
       "row_limit": 100, "sort_by_metric": True, "color_scheme": "planwatchStatus", "number_format":
       "SMART_NUMBER", "show_total": True},
      columns=["status_zh"], metrics=["n_total"], orderby=[["n_total", False]], row_limit=100, where=TABLE_ONLY)
table("theme_indicators", "本主题全部指标（含规划正文中的目标）", "pw_indicator_status",
      ["seq", "name_zh", "scope_zh", "attribute_zh", "unit", "baseline_text", "target_text", "latest_year",
       "latest_actual", "status_zh", "pace_ratio", "required_remaining"],
      [("seq", True)], row_limit=300)
table("theme_review", "本主题指标审核状态", "pw_indicator_status",
      ["seq", "name_zh", "scope_zh", "review_status_zh"], [("review_status_zh", False), ("seq", True)],
      row_limit=300, description="待审核：指标口径尚未经人工审核（解析结果），数值仅供参考；已审核：按审核后的指标目录")

# --- 3 指标详情 -------------------------------------------------------------------------------------------
chart("indicator_path", "实际值 · 规划路径 · 趋势预测", "pw_indicator_progress", "echarts_timeseries_line",
      {"x_axis": "year_date", "time_grain_sqla": "P1Y", "metrics": ["actual", "expected", "projected"],
       "groupby": [], "x_axis_time_format": "%Y", "tooltipTimeFormat": "%Y", "markerEnabled": True,
       "markerSize": 7, "show_legend": True, "legendType": "plain", "legendOrientation": "top",
       "rich_tooltip": True, "y_axis_format": "SMART_NUMBER", "truncateYAxis": True, "row_limit": 1000,
       "color_scheme": "planwatchPath", "zoomable": False, "x_axis_title": "", "y_axis_title": "",
       "adhoc_filters": [{"clause": "WHERE", "subject": "year_date", "operator": "TEMPORAL_RANGE",
                          "comparator": "No filter", "expressionType": "SIMPLE"}]},
      columns=[{"timeGrain": "P1Y", "columnType": "BASE_AXIS", "sqlExpression": "year_date",
                "label": "year_date", "expressionType": "SQL"}],
      metrics=["actual", "expected", "projected"], orderby=[], row_limit=1000,
      description="实线为实际值；规划路径为按规划目标从基期均匀推进的期望值；趋势预测为按已有年份外推到目标年")
table("indicator_info", "指标口径", "pw_indicator_info",
      ["name_zh", "attribute_zh", "unit", "baseline", "target", "latest_year", "latest_actual", "status_zh",
       "plan_source"], [("indicator_label", True)], row_limit=10)
table("indicator_review", "审核状态", "pw_indicator_info", ["name_zh", "review_status_zh", "plan_source"],
      [("indicator_label", True)], row_limit=10,
      description="待审核：该指标的口径尚未经人工审核（解析结果）；已审核：按审核后的指标目录")
table("indicator_years", "逐年进度", "pw_indicator_progress",
      ["year", "actual_value", "expected_value", "projected_value", "pace_ratio", "required_remaining",
       "status_zh", "completed_zh"], [("year", True)], row_limit=100)
table("indicator_sources", "数据来源（文件 · 位置 · 原文摘录）", "pw_indicator_sources",
      ["year", "value_text", "source_kind_zh", "source_document", "source_locator", "source_excerpt", "vintage"],
      [("year", True)], row_limit=200)

# --- 4 规划完成情况 -----------------------------------------------------------------------------------------
big_number("completion_done", STATUS_ZH["completed"], "pw_completion", "n_completed",
           "项主要指标达到规划目标（不含#分项）", where="NOT is_sub_row")
big_number("completion_not_done", STATUS_ZH["not_completed"], "pw_completion", "n_not_completed",
           "项主要指标未达到规划目标", where="NOT is_sub_row")
big_number("completion_binding", f"约束性指标{STATUS_ZH['not_completed']}", "pw_completion",
           "n_binding_not_completed", "项", where="NOT is_sub_row")
table("completion_table", "规划主要指标完成情况", "pw_completion",
      ["seq", "name_zh", "target_text", "actual_text", "attribute_zh", "status_zh", "verdict"],
      [("row_order", True)], row_limit=200,
      description="按规划指标表的格式：序号、指标名称、目标值、完成值、指标属性、完成情况；评估结论由本系统按目标条件判定")

# --- 5 数据质量 ---------------------------------------------------------------------------------------------
big_number("quality_freshness", "距上次成功构建", "pw_build", "hours_since_build_max", "小时", fmt=".1f")
big_number("quality_newest_year", "最新数据年份", "pw_build", "newest_year", "年", fmt="d")
big_number("quality_coverage", "数据覆盖率", "pw_coverage", "coverage", "全部指标 × 年份 已有实际值的比例", fmt=".0%")
big_number("quality_quarantined", "被隔离的输入文件", "pw_quarantine", "n_quarantined", "个")
table("quality_build", "最近一次成功构建", "pw_build",
      ["built_at_text", "run_id", "newest_bulletin_year", "n_indicators", "n_actuals", "hours_since_build"],
      [("built_at", False)], row_limit=10)
chart("quality_coverage_theme", "各主题逐年数据覆盖率", "pw_coverage", "heatmap_v2",
      {"x_axis": "year_label", "groupby": "theme_label", "metric": "coverage", "linear_color_scheme":
       "schemeGreens", "normalize_across": "heatmap", "show_values": True, "show_legend": True,
       "show_percentage": False, "sort_x_axis": "alpha_asc", "sort_y_axis": "alpha_asc", "value_bounds":
       [0, 1], "y_axis_format": ".0%", "x_axis_time_format": "smart_date", "xscale_interval": -1,
       "yscale_interval": -1, "left_margin": "auto", "bottom_margin": "auto", "row_limit": 10000,
       "legend_type": "continuous"},
      columns=["year_label", "theme_label"], metrics=["coverage"], orderby=[["coverage", False]],
      row_limit=10000)
chart("quality_coverage_indicator", "规划指标表：指标 × 年份 是否有数据", "pw_coverage", "heatmap_v2",
      {"x_axis": "year_label", "groupby": "indicator_label", "metric": "coverage", "linear_color_scheme":
       "schemeGreens", "normalize_across": "heatmap", "show_values": False, "show_legend": False,
       "show_percentage": False, "sort_x_axis": "alpha_asc", "sort_y_axis": "alpha_asc", "value_bounds":
       [0, 1], "y_axis_format": ".0%", "xscale_interval": -1, "yscale_interval": 1, "left_margin": "auto",
       "bottom_margin": "auto", "row_limit": 10000, "legend_type": "continuous"},
      columns=["year_label", "indicator_label"], metrics=["coverage"], orderby=[["coverage", False]],
      row_limit=10000, where="is_table_indicator", description="深色 = 该指标该年已有实际值；浅色 = 缺数")
table("quality_quarantine", "被隔离的输入（原因）", "pw_quarantine",
      ["quarantined_at", "input_kind_zh", "file_name", "reason", "place", "sha256_short"],
      [("quarantined_at", False)], row_limit=500,
      description="为空表示没有被隔离的输入")
table("quality_inputs", "已处理的输入文件", "pw_input_files",
      ["processed_at", "input_kind_zh", "file_name", "status_zh", "n_records", "sha256_short"],
      [("processed_at", False)], row_limit=1000, page_length=10, where="NOT is_set_aside",
      description="已载入与被隔离的文件；已跳过、旧版本与冲突的文件见“未采用的输入文件”")
big_number("quality_rejected", "被拒绝的数值", "pw_rejected_figures", "n_rejected", "个：超出合理范围，未采用",
           description="统计公报、公开数据、部门报送与规划中未通过合理性检查的数值；明细见下表")
big_number("quality_set_aside", "未采用的文件", "pw_input_files", "n_files", "个：已跳过、旧版本或冲突",
           where="is_set_aside")
table("quality_rejected_table", "被拒绝的数值（不作为实际值）", "pw_rejected_figures",
      ["quarantined_at", "input_kind_zh", "file_name", "place", "reason", "excerpt"],
      [("quarantined_at", False), ("file_name", True)], row_limit=1000, page_length=10,
      description="未通过合理性检查（非有限数、超出范围、年份超前、来源无网址等）的数值及原因；为空表示没有")
table("quality_set_aside_table", "未采用的输入文件（已跳过 · 旧版本 · 冲突）", "pw_input_files",
      ["processed_at", "input_kind_zh", "file_name", "status_zh", "reason", "sha256_short"],
      [("processed_at", False), ("file_name", True)], row_limit=1000, page_length=10, where="is_set_aside",
      description="同一规划的旧版本保留备查；与同一规划其他文件不一致的文件不采用，仍使用上一个正确版本；为空表示没有")

# ============================================================================================ dashboards

DASHBOARDS: dict[str, dict] = {}


def dashboard(slug: str, title: str, rows: list, *, filters: list | None = None, description: str = "",
              css: str = ""):
    """rows: list of rows; a row is a list of (chart key | ("md", text), width, height)."""
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": title}},
    }
    chart_ids: dict[str, int] = {}
    for r, row in enumerate(rows, start=1):
        row_id = f"ROW-{slug}-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for c, (item, width, height) in enumerate(row, start=1):
            if isinstance(item, tuple):
                node_id = f"MARKDOWN-{slug}-{r}-{c}"
                position[node_id] = {"type": "MARKDOWN", "id": node_id, "children": [],
                                     "parents": ["ROOT_ID", "GRID_ID", row_id],
                                     "meta": {"width": width, "height": height, "code": item[1]}}
            else:
                node_id = f"CHART-{item}"
                chart_ids[item] = len(CHARTS_ORDER) + 1
                CHARTS_ORDER.append(item)
                position[node_id] = {"type": "CHART", "id": node_id, "children": [],
                                     "parents": ["ROOT_ID", "GRID_ID", row_id],
                                     "meta": {"width": width, "height": height, "chartId": chart_ids[item],
                                              "uuid": CHARTS[item]["uuid"],
                                              "sliceName": CHARTS[item]["slice_name"]}}
            position[row_id]["children"].append(node_id)
    native = []
    for f in filters or []:
        excluded = [chart_ids[k] for k in chart_ids if CHARTS[k]["dataset_uuid"] not in f["datasets"]]
        native.append({
            "id": f"NATIVE_FILTER-{f['id']}",
            "name": f["name"],
            "filterType": "filter_select",
            "type": "NATIVE_FILTER",
            "description": f.get("description", ""),
            "targets": [{"column": {"name": f["column"]}, "datasetUuid": uid("dataset", f["dataset"])}],
            "controlValues": {"enableEmptyFilter": True, "defaultToFirstItem": True, "multiSelect": False,
                              "searchAllOptions": False, "inverseSelection": False,
                              "sortAscending": f.get("ascending", True)},
            "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
            "cascadeParentIds": [f"NATIVE_FILTER-{p}" for p in f.get("parents", [])],
            "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
            "tabsInScope": [],
        })
    DASHBOARDS[slug] = {
        "dashboard_title": title,
        "description": description or None,
        "css": css,
        "slug": slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": uid("dashboard", slug),
        "position": position,
        "metadata": {
            "color_scheme": "",  # each chart keeps its own scheme (traffic lights, path colours)
            "label_colors": STATUS_COLORS,
            "shared_label_colors": [],
            "map_label_colors": {},
            "color_scheme_domain": [],
            "cross_filters_enabled": False,
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "default_filters": "{}",
            "native_filter_configuration": native,
            "chart_configuration": {},
            "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}},
        },
        "version": "1.0.0",
    }


CHARTS_ORDER: list[str] = []

# The plan selector of 领导驾驶舱 and 主题详情: plan_option sorts the plan in force (or, where none is, the latest)
# first (marts.dim_plan), and the filter starts on its first option, so the dashboards open on that plan.
PLAN_FILTER = {"id": "plan", "name": "规划", "column": "plan_option", "dataset": "pw_indicator_status",
               "ascending": False,
               "datasets": {uid("dataset", d) for d in ("pw_indicator_status", "pw_theme_status", "pw_headline")}}
ON_TRACK, SLOW = VARS["on_track_threshold"], VARS["needs_acceleration_threshold"]  # dbt vars, not restated
COCKPIT_NOTE = f"""#### 五年规划实施监测 · 领导驾驶舱

按规划指标的最新统计数据评估进度：**{STATUS_ZH["achieved"]}**（目标条件已满足）·
**{STATUS_ZH["on_track"]}**（进度比 ≥ {ON_TRACK}）· **{STATUS_ZH["needs_acceleration"]}**（{SLOW}–{ON_TRACK}）·
**{STATUS_ZH["off_track"]}**（0–{SLOW}）· **{STATUS_ZH["regressing"]}**（背离目标方向）· **{STATUS_ZH["no_data"]}**。
进度比 = 实际完成进度 ÷ 时间进度。统计口径为现行规划（无现行规划时为最近一期规划）指标表（专栏）中的指标；
正文中的其他目标见“主题详情”。约束性指标未达进度单列。点开“指标详情”看每个指标的路径与出处，任一规划均可选择。"""

dashboard("cockpit", "领导驾驶舱", [
    [(("md", COCKPIT_NOTE), 12, 18)],
    [("cockpit_total", 2, 26), ("cockpit_good", 3, 26), ("cockpit_attention", 3, 26),
     ("cockpit_binding", 2, 26), ("cockpit_nodata", 2, 26)],
    [("cockpit_theme_bar", 7, 60), ("cockpit_latest", 5, 60)],
    [("cockpit_binding_table", 12, 30)],
    [("cockpit_attention_table", 12, 50)],
    [("cockpit_headline", 12, 30)],
], filters=[PLAN_FILTER],
   description="现行五年规划（左侧筛选器可选其他规划）：各主题指标进展、约束性指标风险、主要经济指标")

dashboard("theme", "主题详情", [
    [("theme_total", 3, 25), ("theme_good", 3, 25), ("theme_attention", 3, 25), ("theme_status_pie", 3, 25)],
    [("theme_indicators", 12, 90)],
    [("theme_review", 12, 50)],
], filters=[PLAN_FILTER,
            {"id": "theme", "name": "主题", "column": "theme_label", "dataset": "pw_indicator_status",
             "datasets": {uid("dataset", "pw_indicator_status")}}],
   description="一次看一个主题（左侧筛选器选择主题）：每个指标的基期值、目标值、最新值、状态与剩余年份所需")

dashboard("indicator", "指标详情", [
    [("indicator_info", 9, 22), ("indicator_review", 3, 22)],
    [("indicator_path", 7, 60), ("indicator_years", 5, 60)],
    [("indicator_sources", 12, 50)],
], filters=[
    # plan_option sorts the plan in force first (marts.dim_plan): the dashboard opens on it
    {"id": "plan", "name": "规划", "column": "plan_option", "dataset": "pw_indicator_info", "ascending": False,
     "datasets": {uid("dataset", d) for d in ("pw_indicator_info", "pw_indicator_progress",
                                                 "pw_indicator_sources")}},
    {"id": "indicator", "name": "指标", "column": "indicator_label", "dataset": "pw_indicator_info",
     "parents": ["plan"],
     "datasets": {uid("dataset", d) for d in ("pw_indicator_info", "pw_indicator_progress",
                                                 "pw_indicator_sources")}},
], description="一个指标（左侧筛选器选择）：实际值、规划路径与趋势预测，逐年进度与数据出处")

dashboard("plan-completion", "规划完成情况", [
    [("completion_done", 4, 24), ("completion_not_done", 4, 24), ("completion_binding", 4, 24)],
    [("completion_table", 12, 150)],
], filters=[
    # every finished plan with final-year verdicts; newest first, so the dashboard opens on the latest finished plan
    {"id": "plan", "name": "规划", "column": "plan_option", "dataset": "pw_completion", "ascending": False,
     "datasets": {uid("dataset", "pw_completion")}},
], description="已到期规划（十三五、十四五……）主要指标完成情况表（按规划表格式）及评估结论；左侧筛选器选择规划")

dashboard("data-quality", "数据质量", [
    [("quality_freshness", 3, 24), ("quality_newest_year", 3, 24), ("quality_coverage", 3, 24),
     ("quality_quarantined", 3, 24)],
    [("quality_build", 12, 22)],
    [("quality_coverage_theme", 12, 45)],
    [("quality_coverage_indicator", 12, 150)],
    [("quality_quarantine", 12, 28)],
    [("quality_rejected", 3, 24), ("quality_rejected_table", 9, 50)],
    [("quality_set_aside", 3, 24), ("quality_set_aside_table", 9, 50)],
    [("quality_inputs", 12, 50)],
], description="数据覆盖（指标 × 年份）、被隔离的输入、被拒绝的数值、未采用的文件、最近一次成功构建与数据新鲜度")


# ============================================================================================ 区域对比 (peers)
# Physical datasets on presentation.pw_peer_comparison (marts.rpt_peer_comparison with the labels the charts show)
# and presentation.pw_region_figures (marts.fct_region_metric_year). The member roles' labels and colours come from
# seeds/peer_roles.csv; the filters start on is_current (the group's first metric at the latest year that at least
# two members reported), worked out by bootstrap like the plan selectors.

chart("peers_bar", "组内排名（当年，本地区突出显示）", "pw_peer_comparison", "echarts_timeseries_bar",
      {"x_axis": "bar_label", "metrics": ["value_max"], "groupby": ["focus_label"], "stack": "Stack",
       "orientation": "vertical", "show_value": True, "only_total": False, "show_legend": True,
       "legendType": "plain", "legendOrientation": "top", "x_axis_sort": "bar_label", "x_axis_sort_asc": True,
       "x_axis_title": "", "y_axis_title": "", "y_axis_format": "SMART_NUMBER", "rich_tooltip": True,
       "truncate_metric": True, "row_limit": 100, "color_scheme": "supersetColors", "time_grain_sqla": None,
       "zoomable": False, "xAxisLabelRotation": 45},
      columns=["bar_label", "focus_label"], metrics=["value_max"], orderby=[["bar_label", True]], row_limit=100,
      description="左侧筛选器选择对比组、指标与年份；①②③为组内位次（已公布地区中），“数据缺失”为未找到公开数据的地区")
chart("peers_trend", "逐年对比（各地区）", "pw_peer_comparison", "echarts_timeseries_line",
      {"x_axis": "year_date", "time_grain_sqla": "P1Y", "metrics": ["value_max"], "groupby": ["region_zh"],
       "x_axis_time_format": "%Y", "tooltipTimeFormat": "%Y", "markerEnabled": True, "markerSize": 7,
       "show_legend": True, "legendType": "plain", "legendOrientation": "top", "rich_tooltip": True,
       "y_axis_format": "SMART_NUMBER", "truncateYAxis": True, "row_limit": 1000, "color_scheme": "supersetColors",
       "zoomable": False, "x_axis_title": "", "y_axis_title": "",
       "adhoc_filters": [{"clause": "WHERE", "subject": "year_date", "operator": "TEMPORAL_RANGE",
                          "comparator": "No filter", "expressionType": "SIMPLE"}]},
      columns=[{"timeGrain": "P1Y", "columnType": "BASE_AXIS", "sqlExpression": "year_date",
                "label": "year_date", "expressionType": "SQL"}, "region_zh"],
      metrics=["value_max"], orderby=[], row_limit=1000,
      description="所选指标各年的数值；断点为该年未找到公开数据")
big_number("peers_focus_rank", "本地区位次", "pw_peer_comparison", "focus_rank", "在已公布该指标的地区中",
           fmt="d", description="为空表示本地区该年未找到公开数据（数据缺失）")
big_number("peers_reported", "已公布地区数", "pw_peer_comparison", "reported_max", "个地区公布了该指标", fmt="d")
table("peers_rank_table", "排名表（含来源）", "pw_peer_comparison",
      ["region_zh", "value_zh", "unit", "rank_zh", "group_median", "gap_to_median", "value_kind_zh",
       "source_kind_zh", "source_url", "source_locator"],
      [("rank_sort", True), ("member_order", True)], row_limit=100,
      column_config={"group_median": {"d3NumberFormat": ",.2~f"}, "gap_to_median": {"d3NumberFormat": "+,.2~f"}},
      description="位次为已公布该指标地区中的位次（数值相同位次相同）；数据缺失的地区不参与排位")
chart("peers_pivot", "当年全部指标对比", "pw_peer_comparison", "pivot_table_v2",
      {"groupbyRows": ["metric_label_zh"], "groupbyColumns": ["region_zh"], "metrics": ["value_max"],
       "metricsLayout": "COLUMNS", "aggregateFunction": "Sum", "valueFormat": ",.2~f", "rowOrder": "key_a_to_z",
       "colOrder": "key_a_to_z", "rowTotals": False, "colTotals": False, "transposePivot": False,
       "combineMetric": False, "row_limit": 10000, "order_desc": True},
      columns=["metric_label_zh", "region_zh"], metrics=["value_max"], orderby=[], row_limit=10000,
      description="所选年份各地区全部可比指标；空格为数据缺失")
table("peers_sources", "数据来源明细", "pw_region_figures",
      ["region_zh", "metric_label_zh", "year", "value_text", "unit", "value_kind_zh", "source_kind_zh",
       "source_document", "source_locator", "n_vintages"],
      [("region_zh", True), ("year", True)], row_limit=500, page_length=10,
      description="所选指标与年份各地区在用数值的原文与出处；为空表示尚无该指标该年的数据")

PEERS_NOTE = """#### 区域对比 · 渝东南

黔江区与渝东南各区县（武隆区、石柱县、秀山县、酉阳县、彭水县）按各自公开的统计公报、政府工作报告对比。
**位次**为已公布该指标的地区中的位次，数值相同位次相同；单位地区生产总值能耗等越低越好的指标越低越前。
**数据缺失**：未找到该地区该年的公开数据，不参与排位。“预计数”为工作报告中的预计值。"""

PEER_DATASETS = {uid("dataset", d) for d in ("pw_peer_comparison", "pw_region_figures")}
# Each filter starts on its first option with is_current first (bootstrap_app.set_first_value_default): the first
# group, its first compared metric, and that metric's latest year with at least two reporting members.
dashboard("peers", "区域对比", [
    [(("md", PEERS_NOTE), 12, 16)],
    [("peers_focus_rank", 3, 24), ("peers_reported", 3, 24), ("peers_bar", 6, 50)],
    [("peers_trend", 6, 50), ("peers_rank_table", 6, 50)],
    [("peers_pivot", 12, 60)],
    [("peers_sources", 12, 40)],
], filters=[
    {"id": "peer_group", "name": "对比组", "column": "group_zh", "dataset": "pw_peer_comparison",
     "datasets": {uid("dataset", "pw_peer_comparison")}},
    {"id": "peer_metric", "name": "指标", "column": "metric_label_zh", "dataset": "pw_peer_comparison",
     "parents": ["peer_group"], "datasets": PEER_DATASETS},
    {"id": "peer_year", "name": "年份", "column": "year", "dataset": "pw_peer_comparison", "ascending": False,
     "parents": ["peer_group", "peer_metric"], "datasets": PEER_DATASETS},
], description="黔江区与渝东南各区县同一指标同一年的数值与位次、逐年对比、排名表与数据来源")
_peers = DASHBOARDS["peers"]
_peers["metadata"]["label_colors"] = {**STATUS_COLORS, **{r["focus_label"]: r["colour"] for r in _seed("peer_roles")}}
_peer_chart_ids = {k: _peers["position"][f"CHART-{k}"]["meta"]["chartId"] for k in CHARTS if k.startswith("peers_")}
for _f in _peers["metadata"]["native_filter_configuration"]:
    if _f["id"] == "NATIVE_FILTER-peer_metric":  # the pivot shows every metric
        _f["scope"]["excluded"] += [_peer_chart_ids["peers_pivot"]]
    if _f["id"] == "NATIVE_FILTER-peer_year":  # the lines show every year
        _f["scope"]["excluded"] += [_peer_chart_ids["peers_trend"]]

# ============================================================================================ output

def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def render() -> dict[str, str]:
    files = {
        "metadata.yaml": _dump({"version": "1.0.0", "type": "Dashboard",
                                "timestamp": "2026-01-01T00:00:00+00:00"}),
        "databases/planwatch.yaml": _dump(DATABASE),
    }
    for name, ds in DATASETS.items():
        files[f"datasets/planwatch/{name}.yaml"] = _dump(ds)
    for key, ch in CHARTS.items():
        files[f"charts/{key}.yaml"] = _dump(ch)
    for slug, dash in DASHBOARDS.items():
        files[f"dashboards/{slug}.yaml"] = _dump(dash)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if bundle/ differs from this script")
    args = parser.parse_args()
    files = render()
    existing = {p.relative_to(BUNDLE).as_posix(): p.read_text(encoding="utf-8")
                for p in BUNDLE.rglob("*.yaml")} if BUNDLE.exists() else {}
    if args.check:
        stale = sorted(k for k in files.keys() | existing.keys() if files.get(k) != existing.get(k))
        for k in stale:
            print(f"stale: bundle/{k}")
        return 1 if stale else 0
    for name in existing.keys() - files.keys():
        (BUNDLE / name).unlink()
    for name, text in files.items():
        path = BUNDLE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
