"""Assets of the inputs: each input kind lands its inbox files as Parquet tables (ingest/landing.py)."""

import dagster as dg
import duckdb
import pyarrow.parquet as pq

from ingest import landing
from ingest.catalog import DRIFT_FIELDS, Drift
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
CATALOG_TABLES = landing.REFERENCE_TABLES  # the reviewed catalog's tables, as land_catalog writes them
MANIFEST_TABLES = ("input_files",)


def _key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])


def rejection_part_keys() -> list[dg.AssetKey]:
    """landing/rejections/<kind>: the rows each landing step rejected (files rejections/<kind>-b*.parquet)."""
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
            "compacted_buckets_written": report.buckets_written,
            "compacted_buckets_removed": report.buckets_removed,
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
        _, written = landing.land_catalog(paths)
    # the landed table's row count (its footer): an unchanged catalog is not parsed just to count it
    entries = pq.read_metadata(paths.landing / "catalog_indicators" / "catalog.parquet").num_rows
    for table in CATALOG_TABLES:
        yield dg.MaterializeResult(asset_key=_key(table), metadata={"entries": entries, "files_written": written})


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


def _query(paths: Paths, sql: str) -> list[tuple]:
    """A query over the compacted landing tables ({plan_targets}: the served plans' table and narrative rows;
    {catalog}: the landed reviewed catalog), in DuckDB: the checks read no row into Python they do not report."""
    tables = {
        "plan_targets": f"read_parquet('{paths.landing / 'plan_targets'}/*.parquet', union_by_name = true)",
        "catalog": f"read_parquet('{paths.landing / 'catalog_indicators'}/*.parquet')",
    }
    with duckdb.connect() as connection:
        return connection.execute(sql.format(**tables)).fetchall()


# the plan an entry of the reviewed catalog belongs to: its id without the row part (ingest.catalog.reviewed_plan_id)
_REVIEWED_PLAN = "regexp_replace(indicator_id, '-[^-]*$', '')"


def landed_drift(paths: Paths) -> list[Drift]:
    """ingest.catalog.drift over the landed plan targets and the landed catalog: table rows of reviewed plans with
    no catalog entry, entries with no row, and every field of DRIFT_FIELDS on which they differ."""
    differs = " or ".join(f"r.{f} is distinct from c.{f}" for f in DRIFT_FIELDS)
    pairs = ", ".join(f"r.{f}, c.{f}" for f in DRIFT_FIELDS)
    rows = _query(
        paths,
        f"""
        with catalog as (select * from {{catalog}}),
        rows as (
            select * from {{plan_targets}}
            where kind = 'table' and plan_id in (select {_REVIEWED_PLAN} from catalog)
        )
        select coalesce(r.indicator_id, c.indicator_id), r.indicator_id is not null, c.indicator_id is not null,
            {pairs}
        from rows r full outer join catalog c on r.indicator_id = c.indicator_id
        where r.indicator_id is null or c.indicator_id is null or {differs}
        order by 1
        """,
    )
    found = [Drift(i, "entry", "parsed row", None) for i, has_row, has_entry, *_ in rows if not has_entry]
    found += [Drift(i, "entry", None, "catalog entry") for i, has_row, has_entry, *_ in rows if not has_row]
    for indicator_id, has_row, has_entry, *values in rows:
        if has_row and has_entry:
            for n, field in enumerate(DRIFT_FIELDS):
                parsed, entry = values[2 * n], values[2 * n + 1]
                if parsed != entry:
                    found.append(Drift(indicator_id, field, parsed, entry))
    return found


def _rows_per_plan(paths: Paths, reviewed_only: bool) -> tuple[dict[str, int], int]:
    """(table rows per plan, narrative targets) of the landed plan targets; reviewed_only: plans the catalog has."""
    where = f"and plan_id in (select {_REVIEWED_PLAN} from {{catalog}})" if reviewed_only else ""
    per_plan = _query(
        paths, f"select plan_id, count(*) from {{plan_targets}} where kind = 'table' {where} group by 1 order by 1"
    )
    (narrative,) = _query(paths, "select count(*) from {plan_targets} where kind = 'narrative'")[0]
    return {plan: int(n) for plan, n in per_plan}, int(narrative)


@dg.asset_check(
    asset=_key("plan_targets"),
    blocking=True,  # a drifted plan table must never reach the marts, let alone the served file
    description="Parsed table rows and the reviewed catalog agree (SPEC §3 drift); blocking: on drift nothing "
    "downstream is built or published. Check the plan outline in inbox/plans/ against catalog/indicators.yaml.",
)
def catalog_drift_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    paths = warehouse.paths()
    found = landed_drift(paths)
    per_plan, narrative = _rows_per_plan(paths, reviewed_only=False)
    return dg.AssetCheckResult(
        passed=not found,
        metadata={
            "drift": dg.MetadataValue.md("\n".join(f"- {d}" for d in found) or "none"),
            "table_rows_per_plan": dg.MetadataValue.json(per_plan),
            "narrative_targets": narrative,
        },
    )


@dg.asset_check(
    asset=_key("plan_targets"),
    description="Each plan table has as many parsed rows as the catalog has entries, and ≥ 40 narrative targets.",
)
def plan_target_counts_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    paths = warehouse.paths()
    expected = dict(_query(paths, f"select {_REVIEWED_PLAN}, count(*) from {{catalog}} group by 1 order by 1"))
    # a plan without reviewed entries is pending review (待审核): its rows are not counted against the catalog
    parsed, narrative = _rows_per_plan(paths, reviewed_only=True)
    passed = parsed == expected and narrative >= 40
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            "parsed_table_rows": dg.MetadataValue.json(parsed),
            "catalog_entries": dg.MetadataValue.json(expected),
            "narrative_targets": narrative,
        },
    )
