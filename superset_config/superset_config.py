"""Superset configuration of planwatch, loaded by Superset through SUPERSET_CONFIG_PATH.

Runs inside the Superset venv (superset_config/.venv). Local state (metadata DB, secret key, logs) lives in
$PLANWATCH_LOCAL/superset/ (default: <repo>/.local/superset/), which `planwatch superset bootstrap` prepares.
No default secret: SUPERSET_SECRET_KEY from the environment, else the key file bootstrap generated; with
neither, Superset refuses to start.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("PLANWATCH_LOCAL") or REPO_ROOT / ".local").resolve()
STATE_DIR = LOCAL_DIR / "superset"
SECRET_KEY_FILE = STATE_DIR / "secret_key"


def _secret_key() -> str:
    key = os.environ.get("SUPERSET_SECRET_KEY", "").strip()
    if key:
        return key
    if SECRET_KEY_FILE.is_file():
        key = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
        if key:
            return key
    sys.stderr.write(
        "planwatch: no Superset secret key. Set SUPERSET_SECRET_KEY or run `planwatch superset bootstrap`, "
        f"which writes one to {SECRET_KEY_FILE}.\n"
    )
    raise SystemExit(2)


SECRET_KEY = _secret_key()

# --- metadata database (single node: SQLite in the local state folder) ---------------------------------
DATA_DIR = str(STATE_DIR)
SQLALCHEMY_DATABASE_URI = f"sqlite:///{STATE_DIR / 'superset.db'}?check_same_thread=false"
SQLALCHEMY_EXAMPLES_URI = SQLALCHEMY_DATABASE_URI
UPLOAD_FOLDER = str(STATE_DIR / "uploads") + "/"

# --- branding and language ----------------------------------------------------------------------------
APP_NAME = "黔江区规划监测"
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}
# (wrong upstream zh strings, e.g. the sign-in button "Not In", are corrected in the installed language
# pack by `planwatch superset install/bootstrap`; see launcher.ZH_FIXES)

# Traffic-light colours of the plan statuses, in the order the charts list them (已实现/达标, 符合进度, 需加快,
# 滞后/未达标, 逆向, 数据缺失), and of the indicator path (实际值, 规划路径, 趋势预测).
EXTRA_CATEGORICAL_COLOR_SCHEMES = [
    {"id": "planwatchStatus", "label": "planwatch 状态", "description": "规划指标状态红绿灯",
     "colors": ["#1B7F3B", "#5CB85C", "#F0AD4E", "#D9534F", "#8B1A1A", "#A0A0A0", "#1F5FAD", "#7F7F7F"]},
    {"id": "planwatchPath", "label": "planwatch 路径", "description": "实际值 / 规划路径 / 趋势预测",
     "colors": ["#1F5FAD", "#7F7F7F", "#E8862A", "#5CB85C", "#D9534F"]},
]

# --- caches and rate limits without Redis -------------------------------------------------------------
CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": int(timedelta(hours=1).total_seconds()),
    "CACHE_KEY_PREFIX": "planwatch_",
}
# Chart data: short, so the dashboards show a newly published warehouse within minutes.
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": int(timedelta(minutes=5).total_seconds()),
    "CACHE_KEY_PREFIX": "planwatch_data_",
}
RATELIMIT_STORAGE_URI = "memory://"
GLOBAL_ASYNC_QUERIES = False

# --- SQL Lab limits -----------------------------------------------------------------------------------
SQL_MAX_ROW = 10000  # hard cap of rows any SQL Lab query returns
DISPLAY_MAX_ROW = 5000
DEFAULT_SQLLAB_LIMIT = 1000
ROW_LIMIT = 10000  # charts
SAMPLES_ROW_LIMIT = 1000
SQLLAB_TIMEOUT = 30  # seconds, synchronous SQL Lab queries
SQLLAB_ASYNC_TIME_LIMIT_SEC = 60
SUPERSET_WEBSERVER_TIMEOUT = 60
SQLLAB_CTAS_NO_LIMIT = False

# Defence in depth on top of the read-only DuckDB connection (enable_external_access=false): refuse the
# DuckDB table functions that touch files or the environment before the query is even sent.
DISALLOWED_SQL_FUNCTIONS = {
    "duckdb": {
        "read_csv",
        "read_csv_auto",
        "sniff_csv",
        "read_text",
        "read_blob",
        "read_json",
        "read_json_auto",
        "read_json_objects",
        "read_ndjson",
        "read_ndjson_auto",
        "read_ndjson_objects",
        "read_parquet",
        "parquet_scan",
        "parquet_metadata",
        "parquet_schema",
        "glob",
        "getenv",
        "read_xlsx",
        "st_read",
    },
}

FEATURE_FLAGS = {
    "DASHBOARD_NATIVE_FILTERS": True,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "ALERT_REPORTS": False,
    "EMBEDDED_SUPERSET": False,
    "TAGGING_SYSTEM": False,
}

# Only the planwatch warehouse: no SQLite or file-backed connections can be added.
PREVENT_UNSAFE_DB_CONNECTIONS = True

# --- web ------------------------------------------------------------------------------------------------
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("PLANWATCH_HTTPS", "") == "1"
WTF_CSRF_ENABLED = True
TALISMAN_ENABLED = True
ENABLE_PROXY_FIX = False
SUPERSET_LOG_VIEW = False

LOG_LEVEL = "WARNING"


def FLASK_APP_MUTATOR(app) -> None:  # the name Superset looks for
    """DuckDB's default schema is always `main`. Superset 6.1 asks for it twice per chart query (cache key and
    the RLS pass over a virtual dataset), each time by opening a new connection to the warehouse file and
    inspecting it: about a third of a chart request's time (bench/README.md). Answer without connecting."""
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec

    DuckDBEngineSpec.get_default_schema = classmethod(lambda cls, database, catalog: "main")
