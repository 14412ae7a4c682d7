"""Superset configuration of planwatch, loaded by Superset through SUPERSET_CONFIG_PATH.

Runs inside the Superset venv (superset_config/.venv). Local state (metadata DB, secret key, logs) lives in
$PLANWATCH_LOCAL/superset/ (default: <repo>/.local/superset/), which `planwatch superset bootstrap` prepares.
No default secret: SUPERSET_SECRET_KEY from the environment, else the key file bootstrap generated; with
neither, Superset refuses to start.
"""

from __future__ import annotations

import os
import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy.pool import QueuePool

# Everything this process writes (metadata DB, logs, caches) is readable by its owner only.
os.umask(0o077)

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # sql_gate.py, shared with `planwatch sql`

import sql_gate  # noqa: E402

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
# Keep the metadata DB's connections open (SQLAlchemy 1.4 gives a SQLite file NullPool: a new connection for each
# session, several per chart request, and closing the last one checkpoints the write-ahead log; see
# _tune_metadata_db). One pool per process; gthread runs 8 request threads per worker.
SQLALCHEMY_ENGINE_OPTIONS = {"poolclass": QueuePool, "pool_size": 8, "max_overflow": 16, "pool_timeout": 30}
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

# Traffic-light colours of the plan statuses (seeds/status_buckets.csv, in bucket order: 已实现/达标, 符合进度, 需加快,
# 滞后/未达标, 逆向, 数据缺失) and of the indicator path (author_bundle.PATH_SERIES: 实际值, 规划路径, 趋势预测): the
# charts' fallback order; the dashboards map each label to its colour (label_colors, written by author_bundle).
def _color_schemes() -> list[dict]:
    from author_bundle import BUCKET_COLOUR, PATH_SERIES  # the one definition of each colour (reads the dbt seeds)

    status = list(BUCKET_COLOUR.values())
    path = [colour for _, colour in PATH_SERIES.values()]
    return [
        {"id": "planwatchStatus", "label": "planwatch 状态", "description": "规划指标状态红绿灯",
         "colors": status + path[:2]},
        {"id": "planwatchPath", "label": "planwatch 路径", "description": "实际值 / 规划路径 / 趋势预测",
         "colors": [*path, BUCKET_COLOUR["on_track"], BUCKET_COLOUR["off_track"]]},
    ]


EXTRA_CATEGORICAL_COLOR_SCHEMES = _color_schemes()

# --- caches and rate limits without Redis -------------------------------------------------------------
CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": int(timedelta(hours=1).total_seconds()),
    "CACHE_KEY_PREFIX": "planwatch_",
}
# Chart data (issue 15): a request that is not forced is answered from this cache when the same query ran on the
# same served file. served_cache.ServedFileCache salts every key with the served file's identity (inode, size,
# times), which every publish (an atomic rename of a new file) changes: a publish invalidates the whole cache at once,
# with nothing to clear or restart. On disk in the state folder, so the gunicorn workers share it (0600 files).
# The timeout only bounds how long an unused entry stays; datasets whose figures change with the clock set their
# own (pw_build: 5 minutes, see author_bundle.py).
PLANWATCH_SERVED_DB = os.environ.get("PLANWATCH_WAREHOUSE_DB") or None
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "served_cache.ServedFileCache",
    "CACHE_DIR": str(STATE_DIR / "cache" / "data"),
    "CACHE_THRESHOLD": 5000,  # entries; beyond it the oldest are pruned
    "CACHE_DEFAULT_TIMEOUT": int(timedelta(hours=24).total_seconds()),
    "CACHE_KEY_PREFIX": "planwatch_data_",
    "PLANWATCH_SERVED_DB": PLANWATCH_SERVED_DB,
    # nothing is stored while the served file is younger than this: twice SQLLAB_TIMEOUT, the longest a query that
    # started on the previous file can still run (served_cache.py)
    "PLANWATCH_PUBLISH_GRACE_SECONDS": 60,
}
RATELIMIT_STORAGE_URI = "memory://"  # one machine: each gunicorn worker counts on its own
RATELIMIT_ENABLED = True
# Superset's own application-wide limit is 50 requests per second per client address and worker. Every chart of a
# dashboard is a request, so two or three leaders opening the cockpit in the same second from behind one proxy (one
# address) met 429s, and so did the test suite's quick sequences of requests. What needs a tight limit is a login
# (AUTH_RATE_LIMIT below); this one only stops a runaway client.
RATELIMIT_APPLICATION = "300 per second"
# Failed logins: the login form (Flask-AppBuilder) and POST /api/v1/security/login (FLASK_APP_MUTATOR) answer 429
# after this many attempts per client address and worker within the window.
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "10 per 20 second"
GLOBAL_ASYNC_QUERIES = False


# No async SQL Lab: no broker, no result backend, and no celerydb.sqlite / celery_results.sqlite beside the
# working directory (Superset's default CeleryConfig would create both there).
class CeleryConfig:
    broker_url = "memory://"
    result_backend = "cache+memory://"
    imports: tuple[str, ...] = ()
    task_always_eager = False


CELERY_CONFIG = CeleryConfig
RESULTS_BACKEND = None

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
# Each query a person's request runs may be running at most this many at once per user and worker; SQL Lab refuses
# the next one at once, a chart waits up to PLANWATCH_QUEUE_WAIT_SECONDS for a free slot.
PLANWATCH_QUERIES_PER_USER = 2
PLANWATCH_QUEUE_WAIT_SECONDS = 20

# Kept as a first, cheap name check; the real rule is the statement allow-list of sql_gate.py, which every query
# passes (SQL Lab, chart adhoc SQL, dashboards, `planwatch sql`).
DISALLOWED_SQL_FUNCTIONS = {
    "duckdb": {
        "read_csv", "read_csv_auto", "sniff_csv", "read_text", "read_blob", "read_json", "read_json_auto",
        "read_json_objects", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects", "read_parquet",
        "parquet_scan", "parquet_metadata", "parquet_schema", "glob", "getenv", "read_xlsx", "st_read", "query",
        "query_table", "duckdb_settings", "current_setting",
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


# --- the served warehouse: a path-free URI in the metadata, the real file and the locked configuration here ---
# Each query opens the served file anew (Superset's NullPool): 17-50 ms of a chart request at N=1 (measured, issue 15),
# kept on purpose. DuckDB hands a new connection the database already open under the same real path (symlinks
# resolved), so a connection kept open across queries would pin the file of the previous publish for every later
# query after the nightly os.replace (tried; tests/superset/test_publish_while_serving.py caught it).


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # the name Superset looks for
    """Every connection Superset opens to the warehouse: the stored URI names no path (exports and the database
    API show `duckdb:///planwatch.duckdb`), the file comes from PLANWATCH_WAREHOUSE_DB (set by the launcher), and
    the connection is read-only with sql_gate.CONNECTION_CONFIG whatever the stored settings say."""
    if uri.get_backend_name() == "duckdb":
        if uri.database == sql_gate.SERVED_URI_DATABASE:
            served = os.environ.get("PLANWATCH_WAREHOUSE_DB")
            if not served:
                raise RuntimeError("PLANWATCH_WAREHOUSE_DB is not set: start Superset with `planwatch superset`")
            uri = uri.set(database=served)
        connect_args = params.setdefault("connect_args", {})
        connect_args["read_only"] = True
        connect_args["config"] = dict(sql_gate.CONNECTION_CONFIG)
    return uri, params


class _QueryLimits:
    """Per-process bookkeeping of running queries per user (gunicorn workers each keep their own)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._running: dict[object, int] = {}

    def acquire(self, user: object, cap: int, wait: float) -> bool:
        with self._lock:
            if not self._lock.wait_for(lambda: self._running.get(user, 0) < cap, timeout=wait):
                return False
            self._running[user] = self._running.get(user, 0) + 1
            return True

    def release(self, user: object) -> None:
        with self._lock:
            self._running[user] = self._running.get(user, 1) - 1
            self._lock.notify_all()


QUERY_LIMITS = _QueryLimits()


_sqllab_run = threading.local()


def _current_user() -> object:
    from flask import g, has_app_context

    user = getattr(getattr(g, "user", None), "id", None) if has_app_context() else None
    return user if user is not None else "system"


def _refusal(message: str, status: int = 400):
    from superset.errors import ErrorLevel, SupersetError, SupersetErrorType
    from superset.exceptions import SupersetErrorException

    return SupersetErrorException(
        SupersetError(message=message, error_type=SupersetErrorType.GENERIC_COMMAND_ERROR, level=ErrorLevel.ERROR),
        status=status,
    )


def _install_query_guard(app) -> None:
    """Wrap the DuckDB engine spec's execute, which runs every statement Superset sends to the warehouse (SQL Lab,
    chart and dashboard queries, adhoc SQL, filter values): the sql_gate allow-list, the per-user cap and a real
    timeout (the connection is interrupted from a timer thread at SQLLAB_TIMEOUT, whichever thread runs it)."""
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec

    original = DuckDBEngineSpec.execute
    if getattr(original, "planwatch_guard", False):
        return
    timeout = int(app.config["SQLLAB_TIMEOUT"])
    cap = int(app.config["PLANWATCH_QUERIES_PER_USER"])
    queue_wait = float(app.config["PLANWATCH_QUEUE_WAIT_SECONDS"])

    def execute(cls, cursor, query, database, **kwargs):
        try:
            sql_gate.check(query)
        except sql_gate.SqlRefused as exc:
            raise _refusal(str(exc), status=403) from None
        user = _current_user()
        wait = 0.0 if getattr(_sqllab_run, "active", False) else queue_wait
        if not QUERY_LIMITS.acquire(user, cap, wait):
            raise _refusal(
                f"查询被拒绝 (refused): you already have {cap} queries running; wait for them to finish "
                f"(每位用户同时最多运行 {cap} 个查询)", status=429)
        fired = threading.Event()

        def interrupt() -> None:
            fired.set()
            cursor.interrupt()

        timer = threading.Timer(timeout, interrupt)
        timer.daemon = True
        timer.start()
        try:
            original(cursor, query, database, **kwargs)
        except Exception:
            if fired.is_set():
                raise _refusal(
                    f"查询超时 (timed out): the query was stopped after {timeout} s, the SQL Lab limit; add filters "
                    f"or aggregate first (查询超过 {timeout} 秒已被终止)", status=408) from None
            raise
        finally:
            timer.cancel()
            QUERY_LIMITS.release(user)

    original_with_cursor = DuckDBEngineSpec.execute_with_cursor

    def execute_with_cursor(cls, cursor, sql, query):
        """SQL Lab's way in (a Query model): mark the thread so a user over the cap is refused at once."""
        _sqllab_run.active = True
        try:
            original_with_cursor(cursor, sql, query)
        finally:
            _sqllab_run.active = False

    execute.planwatch_guard = True
    DuckDBEngineSpec.execute = classmethod(execute)
    DuckDBEngineSpec.execute_with_cursor = classmethod(execute_with_cursor)

    # SQL Lab runs its celery task in the request thread (async is off); bind the tasks now, not in two request
    # threads at once (that race answered "'NoneType' object has no attribute 'push'").
    import superset.sql_lab  # noqa: F401
    from superset.extensions import celery_app

    celery_app.finalize(auto=True)


def _install_request_guards(app) -> None:
    """Refusals before a request reaches Superset: async and CTAS SQL Lab runs (async is off; no worker, no
    result backend), and a SQL Lab script that the gate refuses (so nothing is recorded or run)."""
    from flask import jsonify, request

    def refuse(message: str, status: int = 400):
        body = {"message": message,
                "errors": [{"message": message, "error_type": "GENERIC_COMMAND_ERROR", "level": "error",
                            "extra": {}}]}
        return jsonify(body), status

    @app.before_request
    def planwatch_sqllab_guard():
        if request.method != "POST" or request.path.rstrip("/") != "/api/v1/sqllab/execute":
            return None
        payload = request.get_json(silent=True) or {}
        if payload.get("runAsync"):
            return refuse("查询被拒绝 (refused): asynchronous queries are off here; run it without runAsync "
                          "(本系统不支持异步查询)")
        if payload.get("select_as_cta") or payload.get("ctas_method") or payload.get("tmp_table_name"):
            return refuse("查询被拒绝 (refused): CREATE TABLE AS (select_as_cta) is not allowed; the warehouse is "
                          "read-only (数据仓库只读，不能建表)")
        try:
            sql_gate.check(str(payload.get("sql") or ""))
        except sql_gate.SqlRefused as exc:
            return refuse(str(exc), 403)
        return None


def _install_api_login_limit(app) -> None:
    """AUTH_RATE_LIMIT on POST to the login form and to POST /api/v1/security/login (measured: with Superset 6.1
    neither answered 429 by itself, 25 wrong logins in 6 s all went through)."""
    sm = app.appbuilder.sm
    auth_blueprint = getattr(getattr(sm, "auth_view", None), "blueprint", None)
    names = {"SecurityApi", getattr(auth_blueprint, "name", None)}
    for name in sorted(n for n in names if n):
        blueprint = app.blueprints.get(name)
        if sm.limiter is not None and blueprint is not None:
            sm.limiter.limit(app.config["AUTH_RATE_LIMIT"], methods=["POST"])(blueprint)


QUERY_DATASOURCE_REFUSAL = ("查询被拒绝 (refused): charts run on datasets only; a SQL Lab query (datasource type "
                            "'query') is no chart source here (图表只能基于数据集)")


def _query_datasource_refused():
    from superset.errors import ErrorLevel, SupersetError, SupersetErrorType
    from superset.exceptions import SupersetSecurityException

    return SupersetSecurityException(SupersetError(
        message=QUERY_DATASOURCE_REFUSAL, error_type=SupersetErrorType.DATASOURCE_SECURITY_ACCESS_ERROR,
        level=ErrorLevel.ERROR))


def _install_query_datasource_refusal() -> None:
    """POST /api/v1/chart/data with {"datasource": {"type": "query", …}} would run (and, with result_type
    query, show) any user's saved SQL Lab query: refused for everyone, before any access check or query."""
    from superset.common.query_context_processor import QueryContextProcessor
    from superset.utils.core import DatasourceType

    original = QueryContextProcessor.raise_for_access
    if getattr(original, "planwatch_guard", False):
        return

    def raise_for_access(self) -> None:
        if self._qc_datasource.type == DatasourceType.QUERY:
            raise _query_datasource_refused()
        original(self)

    raise_for_access.planwatch_guard = True
    QueryContextProcessor.raise_for_access = raise_for_access


from superset.security import SupersetSecurityManager  # noqa: E402


class PlanwatchSecurityManager(SupersetSecurityManager):
    """Explore and the legacy chart endpoints: a saved SQL Lab query (datasource type `query`) is no chart source
    for anyone (see also _install_query_datasource_refusal for /api/v1/chart/data)."""

    def raise_for_access(self, *args, **kwargs):
        from superset.models.sql_lab import Query

        viz = kwargs.get("viz")
        query_context = kwargs.get("query_context")
        candidates = [kwargs.get("datasource"), getattr(viz, "datasource", None),
                      getattr(query_context, "datasource", None)]
        if any(isinstance(c, Query) for c in candidates):
            raise _query_datasource_refused()
        return super().raise_for_access(*args, **kwargs)


CUSTOM_SECURITY_MANAGER = PlanwatchSecurityManager


def _memoize_duckdb_keywords() -> None:
    """duckdb_engine's identifier preparer asks DuckDB for its reserved keywords (a query on DuckDB's default
    in-memory connection) every time a dialect is made, and Superset makes an engine, so a dialect, about 7 times per
    chart request (~1 ms each, more under load; measured, issue 15). The keywords of the installed DuckDB do not
    change: ask once per process."""
    import duckdb
    import duckdb_engine
    from sqlalchemy.dialects.postgresql.base import PGIdentifierPreparer

    preparer = duckdb_engine.DuckDBIdentifierPreparer
    if getattr(preparer.__init__, "planwatch_memo", False):
        return
    reserved: set[str] = set()

    def __init__(self, dialect, **kwargs) -> None:
        PGIdentifierPreparer.__init__(self, dialect, **kwargs)
        if not reserved:
            reserved.update(k for (k,) in duckdb.cursor().execute(
                "select keyword_name from duckdb_keywords() where keyword_category == 'reserved'").fetchall())
        self.reserved_words.update(reserved)

    __init__.planwatch_memo = True
    preparer.__init__ = __init__


def _tune_metadata_db(app) -> None:
    """The metadata DB is SQLite; every chart request commits several rows to it (Superset's event log: the request,
    its query, …), each commit an fsync in SQLite's default rollback journal: 6 commits and ~6-70 ms of a chart
    request depending on the disk's load (measured, issue 15). Write-ahead logging with synchronous=NORMAL commits
    without waiting for the disk (a power cut may lose the last commits, never corrupt the DB; an application crash
    loses nothing) and lets the gunicorn workers read while one writes."""
    from sqlalchemy import event
    from superset.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite" or getattr(engine, "planwatch_tuned", False):
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # persistent in the file; cheap once set
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
        finally:
            cursor.close()

    engine.planwatch_tuned = True
    engine.dispose()  # connections opened before the listener get the pragmas too


def FLASK_APP_MUTATOR(app) -> None:  # the name Superset looks for
    """DuckDB's default schema is always `main`. Superset 6.1 asks for it twice per chart query (cache key and
    the RLS pass over a virtual dataset), each time by opening a new connection to the warehouse file and
    inspecting it: about a third of a chart request's time (bench/README.md). Answer without connecting."""
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec

    DuckDBEngineSpec.get_default_schema = classmethod(lambda cls, database, catalog: "main")
    _tune_metadata_db(app)
    _memoize_duckdb_keywords()
    _install_query_guard(app)
    _install_query_datasource_refusal()
    _install_request_guards(app)
    _install_api_login_limit(app)
