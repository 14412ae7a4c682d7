"""Assets of the inputs: each input kind lands its inbox files as Parquet tables (ingest/landing.py)."""

from collections import Counter

import dagster as dg
import pyarrow.parquet as pq

from ingest import landing
from ingest.catalog import DRIFT_FIELDS, drift, reviewed_plan_id
from orchestration.locking import retry_when_busy, writer_lock
from orchestration.resources import WRITER_POOL, WarehouseResource
from planwatch_core.paths import Paths

# input kind → the landing tables its files produce (dbt sources `landing.<table>`)
KIND_TABLES: dict[str, tuple[str, ...]] = {
    "plans": ("plans", "plan_targets", "plan_review_figures"),
    "bulletins": ("bulletin_figures",),
    "submissions": ("submission_values",),
    "published": ("published_figures",),
}
# input kinds whose readers reject rows (ingest/landing.py READERS): each writes its part of landing/rejections
REJECTING_KINDS = ("plans", "bulletins", "submissions", "published")
CATALOG_TABLES = (
    "catalog_indicators",
    "catalog_themes",
    "catalog_regions",
    "catalog_figure_names",
    "catalog_peer_groups",
    "catalog_peer_metrics",
)
MANIFEST_TABLES = ("input_files",)


def _key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])


def rejection_part_keys() -> list[dg.AssetKey]:
    """landing/rejections/<kind>: the rows each landing step rejected (files rejections/<kind>__*.parquet)."""
    return [dg.AssetKey(["landing", "rejections", kind]) for kind in REJECTING_KINDS]


def _kind_specs(kind: str, tables: tuple[str, ...]) -> list[dg.AssetSpec]:
    catalog = [_key(c) for c in CATALOG_TABLES]
    specs = [dg.AssetSpec(_key(t), deps=catalog, kinds={"parquet"}) for t in tables]
    if kind in REJECTING_KINDS:
        specs.append(
            dg.AssetSpec(
                dg.AssetKey(["landing", "rejections", kind]),
                deps=catalog,
                kinds={"parquet"},
                description=f"Rows of inbox/{kind}/ files that the reader rejected, with place and reason.",
            )
        )
    return specs


def _kind_asset(kind: str, tables: tuple[str, ...]) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=f"land_{kind}",
        group_name="inputs",
        specs=_kind_specs(kind, tables),
        description=f"Land new or changed files of inbox/{kind}/ (by content hash); quarantine unreadable ones.",
        pool=WRITER_POOL,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        paths = warehouse.paths()
        with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
            report = landing.land_kind(paths, kind, landing.catalog_context(paths), progress=context.log.info)
        quarantined = [f"{o.name}: {o.place}: {o.reason}" for o in report.quarantined]
        for line in quarantined:
            context.log.warning(f"quarantined {line}")
        metadata = {
            "files": len(report.outcomes),
            "parsed_now": report.parsed,
            "unchanged": len(report.outcomes) - report.parsed,
            "quarantined": len(quarantined),
            "quarantined_files": dg.MetadataValue.md("\n".join(f"- {q}" for q in quarantined) or "none"),
            "landing_files_written": report.files_written,
        }
        for spec in _kind_specs(kind, tables):
            yield dg.MaterializeResult(asset_key=spec.key, metadata=metadata)

    return _asset


@dg.multi_asset(
    name="land_catalog",
    group_name="inputs",
    specs=[dg.AssetSpec(_key(t), kinds={"parquet"}) for t in CATALOG_TABLES],
    description="Land the reviewed catalog (catalog/indicators.yaml, themes.yaml, regions.yaml, peer_groups.yaml).",
    pool=WRITER_POOL,
)
def land_catalog_asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
        catalog_context, written = landing.land_catalog(paths)
    for table in CATALOG_TABLES:
        yield dg.MaterializeResult(
            asset_key=_key(table), metadata={"entries": len(catalog_context.catalog), "files_written": written}
        )


@dg.multi_asset(
    name="land_manifest",
    group_name="inputs",
    specs=[
        dg.AssetSpec(_key(t), deps=[_key(x) for tables in KIND_TABLES.values() for x in tables], kinds={"parquet"})
        for t in MANIFEST_TABLES
    ],
    description="Every inbox file with its hash and status (loaded / quarantined), from each kind's landing state.",
    pool=WRITER_POOL,
)
def land_manifest_asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    with retry_when_busy(context), writer_lock(paths.warehouse, timeout_s=warehouse.lock_timeout_s):
        landing.write_manifest(paths)
    for table in MANIFEST_TABLES:
        yield dg.MaterializeResult(asset_key=_key(table))


def landing_assets() -> list[dg.AssetsDefinition]:
    return [land_catalog_asset, land_manifest_asset] + [_kind_asset(k, t) for k, t in KIND_TABLES.items()]


def _plan_targets(paths: Paths, columns: list[str]) -> list[dict]:
    """Only the columns a check needs (the landed plan targets of 3,000 plans are one file per plan)."""
    return pq.read_table(paths.landing / "plan_targets", columns=columns).to_pylist()


@dg.asset_check(
    asset=_key("plan_targets"),
    blocking=True,  # a drifted plan table must never reach the marts, let alone the served file
    description="Parsed table rows and the reviewed catalog agree (SPEC §3 drift); blocking: on drift nothing "
    "downstream is built or published. Check the plan outline in inbox/plans/ against catalog/indicators.yaml.",
)
def catalog_drift_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    paths = warehouse.paths()
    records = _plan_targets(paths, ["plan_id", "indicator_id", "kind", *DRIFT_FIELDS])
    found = drift(records, landing.catalog_context(paths).catalog)
    per_plan = Counter(r["plan_id"] for r in records if r["kind"] == "table")
    narrative = sum(r["kind"] == "narrative" for r in records)
    return dg.AssetCheckResult(
        passed=not found,
        metadata={
            "drift": dg.MetadataValue.md("\n".join(f"- {d}" for d in found) or "none"),
            "table_rows_per_plan": dg.MetadataValue.json({k: int(v) for k, v in per_plan.items()}),
            "narrative_targets": narrative,
        },
    )


@dg.asset_check(
    asset=_key("plan_targets"),
    description="Each plan table has as many parsed rows as the catalog has entries, and ≥ 40 narrative targets.",
)
def plan_target_counts_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    paths = warehouse.paths()
    entries = landing.catalog_context(paths).catalog
    records = _plan_targets(paths, ["plan_id", "kind"])
    expected = Counter(reviewed_plan_id(entry) for entry in entries)
    # a plan without reviewed entries is pending review (待审核): its rows are not counted against the catalog
    parsed = Counter(r["plan_id"] for r in records if r["kind"] == "table" and r["plan_id"] in expected)
    narrative = sum(r["kind"] == "narrative" for r in records)
    passed = {k: int(v) for k, v in parsed.items()} == expected and narrative >= 40
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            "parsed_table_rows": dg.MetadataValue.json({k: int(v) for k, v in parsed.items()}),
            "catalog_entries": dg.MetadataValue.json(expected),
            "narrative_targets": narrative,
        },
    )
