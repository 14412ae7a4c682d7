"""The served warehouse: published by an atomic replace after dbt build passed and the checks below hold."""

import datetime

import dagster as dg
import duckdb

from orchestration import publish
from orchestration.assets_dbt import planwatch_dbt_models
from orchestration.assets_landing import catalog_drift_findings
from orchestration.locking import retry_when_busy, writer_lock
from orchestration.resources import WRITER_POOL, WarehouseResource

# Checks run on the finished build before it replaces the served file; a failing one stops the publish.
BUILD_CHECKS: dict[str, tuple[str, str]] = {
    # name: (description, SQL returning the offending rows)
    "every_indicator_has_theme": (
        "Every indicator belongs to one of the five themes.",
        "select indicator_id from marts.dim_indicator where theme_code is null",
    ),
    "both_plans_present": (
        "Both plans are in the warehouse (the 13th plan's review table and the 14th plan's indicators).",
        "select 'missing plan' as problem from (select count(*) as n from marts.dim_plan) where n < 2",
    ),
    "no_figure_without_source": (
        "Every actual and every bulletin figure carries its document, location and extracted text.",
        "select indicator_id, year from marts.fct_indicator_actual "
        "where coalesce(source_document, '') = '' or coalesce(source_locator, '') = '' "
        "or coalesce(source_excerpt, '') = '' "
        "union all select document_id, year from marts.fct_bulletin_figure "
        "where coalesce(locator, '') = '' or coalesce(excerpt, '') = ''",
    ),
    "one_current_actual": (
        "At most one current actual per indicator, year and scope.",
        "select indicator_id, year, value_scope from marts.fct_indicator_actual where is_current "
        "group by all having count(*) > 1",
    ),
    "scorecard_adds_up": (
        "Per theme and year, the status counts add up to the number of headline indicators.",
        "select plan_id, theme_code, year from marts.fct_theme_scorecard where n_achieved + n_on_track "
        "+ n_needs_acceleration + n_off_track + n_regressing + n_no_data <> n_indicators",
    ),
}
FRESHNESS = "bulletins_fresh"
# The landing check catalog_drift_check reports drift on the landed plan tables, but a landing check stops nothing
# downstream: the same findings are checked again here, blocking, so drifted plans are never published.
CATALOG_DRIFT = "no_catalog_drift"
CATALOG_DRIFT_DESCRIPTION = "The plan tables as landed agree with the reviewed catalog (SPEC §3 drift); blocking."


def _catalog_drift(paths) -> dg.AssetCheckResult:
    found, _ = catalog_drift_findings(paths)
    return dg.AssetCheckResult(
        check_name=CATALOG_DRIFT,
        passed=not found,
        metadata={
            "drift": dg.MetadataValue.md("\n".join(f"- {d}" for d in found[:50]) or "none"),
            "what_to_do": "check the plan outline in inbox/plans/ against catalog/indicators.yaml; the quarantine "
            "(数据质量) names the rows not taken in",
        },
    )


def _run_checks(db_path) -> list[dg.AssetCheckResult]:
    results = []
    connection = duckdb.connect(str(db_path), read_only=True)
    try:
        for name, (_, sql) in BUILD_CHECKS.items():
            rows = connection.execute(sql).fetchall()
            results.append(
                dg.AssetCheckResult(
                    check_name=name,
                    passed=not rows,
                    metadata={
                        "offending_rows": len(rows),
                        "sample": dg.MetadataValue.json([list(map(str, r)) for r in rows[:10]]),
                    },
                )
            )
        results.append(_freshness(connection))
    finally:
        connection.close()
    return results


def _freshness(connection: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
    """A warning (not a stop) when the newest annual bulletin is older than the previous calendar year."""
    newest = connection.execute("select newest_bulletin_year from marts.meta_build").fetchone()[0]
    expected = datetime.date.today().year - 1
    return dg.AssetCheckResult(
        check_name=FRESHNESS,
        passed=newest is not None and newest >= expected,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "newest_bulletin_year": newest if newest is not None else "none",
            "expected_at_least": expected,
            "what_to_do": f"put the {expected} bulletin (统计公报) in inbox/bulletins/",
        },
    )


@dg.asset(
    group_name="serving",
    deps=[planwatch_dbt_models],
    kinds={"duckdb"},
    pool=WRITER_POOL,
    check_specs=[
        *(
            dg.AssetCheckSpec(name, asset="published_warehouse", description=d, blocking=True)
            for name, (d, _) in BUILD_CHECKS.items()
        ),
        dg.AssetCheckSpec(
            CATALOG_DRIFT, asset="published_warehouse", description=CATALOG_DRIFT_DESCRIPTION, blocking=True
        ),
        dg.AssetCheckSpec(
            FRESHNESS,
            asset="published_warehouse",
            description="The newest annual bulletin is not older than the previous calendar year (warning only).",
        ),
    ],
    description="warehouse/serving/planwatch.duckdb: the last good build, replaced atomically; what dashboards read.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
        publish.checkpoint(paths.build_db)
        results = [*_run_checks(paths.build_db), _catalog_drift(paths)]
        failed = [r.check_name for r in results if not r.passed and r.severity == dg.AssetCheckSeverity.ERROR]
        yield from results
        if failed:
            raise dg.Failure(
                description=f"not publishing: checks failed on the build ({', '.join(failed)}); "
                f"the served warehouse {paths.serving_db} is unchanged",
            )
        outcome = publish.publish(paths.build_db, paths.serving_db)
    context.log.info(f"published {outcome.served_path} ({outcome.size_bytes / 1e6:.1f} MB)")
    yield dg.MaterializeResult(
        metadata={
            "path": str(outcome.served_path),
            "size_mb": round(outcome.size_bytes / 1e6, 2),
            "mart_rows": dg.MetadataValue.json(outcome.tables),
        }
    )
