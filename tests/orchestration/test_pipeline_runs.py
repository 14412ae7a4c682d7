"""The nightly job run in-process through Dagster's own API: it lands, builds, checks and publishes; a rerun with
unchanged inputs publishes nothing new and does far less work; a forced rebuild publishes the same rows."""

import hashlib
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ENV_KEYS = (
    "PLANWATCH_INBOX",
    "PLANWATCH_WAREHOUSE",
    "PLANWATCH_CATALOG",
    "PLANWATCH_LANDING",
    "PLANWATCH_BUILD_DB",
    "PLANWATCH_BUILD_FINGERPRINT",
    "PLANWATCH_RUN_ID",
)


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """A temporary inbox (default inputs plus one unreadable file) and warehouse; the environment restored after."""
    saved = {k: os.environ.get(k) for k in ENV_KEYS}
    root = tmp_path_factory.mktemp("inprocess")
    inbox = root / "inbox"
    shutil.copytree(REPO / "inbox", inbox)
    (inbox / "bulletins" / "unreadable.docx").write_bytes(b"PK\x03\x04 not a real docx")
    os.environ["PLANWATCH_INBOX"] = str(inbox)
    os.environ["PLANWATCH_WAREHOUSE"] = str(root / "warehouse")
    yield root
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _run(force: bool = False) -> tuple[dg.ExecuteInProcessResult, float]:
    job = defs.resolve_job_def("nightly")
    started = time.monotonic()
    config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    if force:
        config["resources"] = {"warehouse": {"config": {"force_rebuild": True}}}
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), run_config=config, raise_on_error=False)
    return result, time.monotonic() - started


def _materialized(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def _landing_metadata(result, table: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == f"landing/{table}":
            return {k: v.value for k, v in event.materialization.metadata.items()}
    raise AssertionError(f"landing/{table} not materialized")


def _marts_rows(path: Path) -> dict[str, list]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            t
            for (t,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_name <> 'meta_build'"
            ).fetchall()
        ]
        return {t: sorted(map(repr, connection.execute(f'select * from marts."{t}"').fetchall())) for t in tables}
    finally:
        connection.close()


def test_first_run_lands_builds_and_publishes(install):
    result, seconds = _run()
    assert result.success
    materialized = _materialized(result)
    assert "published_warehouse" in materialized and "marts/fct_indicator_progress" in materialized
    bulletins = _landing_metadata(result, "bulletin_figures")
    assert bulletins["quarantined"] == 1 and "unreadable.docx" in bulletins["quarantined_files"]
    plans = _landing_metadata(result, "plan_targets")
    assert plans["parsed_now"] == 1
    checks = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks["catalog_drift_check"] and checks["plan_target_counts_check"]
    assert checks["no_figure_without_source"] and checks["one_current_actual"]
    assert checks["bulletins_fresh"] is False  # no bulletin in the default inbox: a warning, not a failure
    print(f"\nfirst run: {seconds:.1f}s")


def test_unchanged_rerun_publishes_nothing_and_does_less(install):
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    result, seconds = _run()
    assert result.success
    assert "published_warehouse" not in _materialized(result)
    assert not [k for k in _materialized(result) if k.startswith(("marts/", "staging/"))]  # dbt did not run
    assert _landing_metadata(result, "plan_targets")["parsed_now"] == 0
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before
    print(f"\nno-change rerun: {seconds:.1f}s")


def test_forced_rebuild_publishes_the_same_rows(install):
    served = install / "warehouse" / "serving" / "planwatch.duckdb"
    rows_before = _marts_rows(served)
    result, seconds = _run(force=True)
    assert result.success and "published_warehouse" in _materialized(result)
    assert _marts_rows(served) == rows_before
    print(f"\nforced rebuild: {seconds:.1f}s")
