"""Which models a build redoes (orchestration/fingerprint.py plan_build), from the state the kept build file was
last built from: pure functions on a small manifest, no dbt run."""

from orchestration.fingerprint import BuildPlan, BuiltState, plan_build

MANIFEST = {
    "child_map": {
        "source.planwatch.landing.bulletin_figures": ["model.planwatch.stg_bulletin__figures"],
        "model.planwatch.stg_bulletin__figures": ["model.planwatch.fct_bulletin_figure"],
        "model.planwatch.fct_bulletin_figure": ["model.planwatch.meta_build", "test.planwatch.not_null_x"],
        "source.planwatch.landing.plans": ["model.planwatch.stg_plan__plans"],
        "model.planwatch.stg_plan__plans": ["model.planwatch.dim_plan"],
        "source.planwatch.pipeline.runs": ["model.planwatch.stg_pipeline__runs"],
        "model.planwatch.stg_pipeline__runs": ["model.planwatch.meta_build"],
    },
    "nodes": {
        f"{kind}.planwatch.{name}": {"name": name, "resource_type": kind}
        for kind, name in [
            ("model", "stg_bulletin__figures"), ("model", "fct_bulletin_figure"), ("model", "meta_build"),
            ("model", "stg_plan__plans"), ("model", "dim_plan"), ("model", "stg_pipeline__runs"),
            ("seed", "status_codes"), ("test", "not_null_x"),
        ]
    },
}
TABLES = {"bulletin_figures": "b1", "plans": "p1", "catalog_indicators": "c1"}
REGIONS = {"500114": "r1", "500240": "r2"}


def test_first_build_forced_build_and_missing_file_are_full():
    state = BuiltState("proj", TABLES)
    assert plan_build(None, "proj", TABLES, build_db_usable=False).full
    assert plan_build(state, "proj", TABLES, build_db_usable=False).full
    assert plan_build(state, "proj", TABLES, build_db_usable=True, force=True).full


def test_project_or_catalog_change_rebuilds_everything():
    state = BuiltState("proj", TABLES)
    assert plan_build(state, "proj2", TABLES, build_db_usable=True).full
    plan = plan_build(state, "proj", TABLES | {"catalog_indicators": "c2"}, build_db_usable=True)
    assert plan.full and "catalog_indicators" in plan.reason
    assert plan.exclusions(MANIFEST) == []


def test_a_new_bulletin_keeps_what_does_not_depend_on_bulletins():
    plan = plan_build(
        BuiltState("proj", TABLES, REGIONS),
        "proj",
        TABLES | {"bulletin_figures": "b2"},
        build_db_usable=True,
        regions=REGIONS | {"500114": "r1b"},
    )
    assert plan == BuildPlan(
        False,
        ("bulletin_figures",),
        "incremental: bulletin_figures changed; rows of 1 region(s) replaced (500114)",
        ("500114",),
    )
    # rebuilt: the bulletin chain and the run's own row; kept: plans, their dims and the seeds
    assert plan.exclusions(MANIFEST) == ["dim_plan", "status_codes", "stg_plan__plans"]


def test_a_removed_table_counts_as_changed():
    tables = {k: v for k, v in TABLES.items() if k != "plans"}
    plan = plan_build(BuiltState("proj", TABLES), "proj", tables, build_db_usable=True)
    assert plan.changed_tables == ("plans",)
    assert "dim_plan" not in plan.exclusions(MANIFEST)


def test_a_plan_change_rebuilds_everything():
    """Plans define the indicators every per-region model is keyed by: no region scope for them."""
    plan = plan_build(BuiltState("proj", TABLES, REGIONS), "proj", TABLES | {"plans": "p2"}, True, regions=REGIONS)
    assert plan.full and "plans" in plan.reason and plan.changed_regions == ()


def test_the_regions_replaced_are_those_whose_input_files_changed():
    state = BuiltState("proj", TABLES | {"published_figures": "f1"}, REGIONS)
    tables = TABLES | {"published_figures": "f2", "bulletin_figures": "b2"}
    # 500114 changed, 500240 gone (its only file removed), 500241 new; a region whose files did not change is kept
    regions = {"500114": "r1b", "500241": "r3", "500242": "r4"}
    plan = plan_build(
        BuiltState("proj", state.tables, REGIONS | {"500242": "r4"}), "proj", tables, True, regions=regions
    )
    assert not plan.full and plan.changed_regions == ("500114", "500240", "500241")
    assert plan.changed_tables == ("bulletin_figures", "published_figures")


def test_figures_without_a_region_or_a_state_without_regions_rebuild_everything():
    tables = TABLES | {"bulletin_figures": "b2"}
    no_region = plan_build(BuiltState("proj", TABLES, REGIONS), "proj", tables, True, regions=REGIONS | {"": "x"})
    assert no_region.full and "no region" in no_region.reason
    old_state = plan_build(BuiltState("proj", TABLES), "proj", tables, True, regions=REGIONS)
    assert old_state.full and "region digests" in old_state.reason


def test_a_change_of_the_file_list_alone_replaces_no_region():
    plan = plan_build(
        BuiltState("proj", TABLES | {"input_files": "i1"}, REGIONS), "proj", TABLES | {"input_files": "i2"}, True
    )
    assert plan == BuildPlan(False, ("input_files",), "incremental: input_files changed")


def test_built_state_keeps_the_region_digests(tmp_path):
    BuiltState("proj", TABLES, REGIONS).save(tmp_path)
    assert BuiltState.load(tmp_path) == BuiltState("proj", TABLES, REGIONS)


def test_region_digests_change_only_for_the_regions_of_a_changed_file(tmp_path):
    import duckdb

    from orchestration.fingerprint import region_digests
    from planwatch_core.paths import Paths

    paths = Paths(inbox=tmp_path / "inbox", warehouse=tmp_path / "warehouse", catalog=tmp_path / "catalog")

    def land(table: str, name: str, rows: list[tuple[str | None, str]]) -> None:
        folder = paths.landing / table
        folder.mkdir(parents=True, exist_ok=True)
        values = ", ".join(f"({'NULL' if r is None else repr(r)}, '{sha}')" for r, sha in rows)
        duckdb.sql(f"copy (select * from (values {values}) as t(region_code, input_sha256)) to '{folder / name}'")

    land("bulletin_figures", "bulletins-b00.parquet", [("500114", "a"), ("500114", "a"), ("500240", "b")])
    land("published_figures", "published-b00.parquet", [("500240", "c"), ("500241", "c")])
    first = region_digests(paths)
    assert set(first) == {"500114", "500240", "500241"}
    land("published_figures", "published-b00.parquet", [("500240", "d"), ("500241", "c"), (None, "e")])
    second = region_digests(paths)
    assert second["500114"] == first["500114"] and second["500241"] == first["500241"]
    assert second["500240"] != first["500240"] and "" in second


def test_the_input_fingerprint_sees_added_removed_and_rewritten_files(tmp_path):
    import os

    from orchestration.fingerprint import DBT_PROJECT_DIR, input_fingerprint
    from planwatch_core.paths import Paths

    paths = Paths(inbox=tmp_path / "inbox", warehouse=tmp_path / "warehouse", catalog=tmp_path / "catalog")
    (paths.inbox / "bulletins").mkdir(parents=True)
    paths.catalog.mkdir()
    (paths.catalog / "indicators.yaml").write_text("indicators: []\n")
    bulletin = paths.inbox / "bulletins" / "2024.txt"
    bulletin.write_text("地区生产总值100亿元")
    first = input_fingerprint(paths, DBT_PROJECT_DIR)
    assert input_fingerprint(paths, DBT_PROJECT_DIR) == first
    stat = bulletin.stat()
    bulletin.write_text("地区生产总值200亿元")  # same size, new content
    os.utime(bulletin, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    rewritten = input_fingerprint(paths, DBT_PROJECT_DIR)
    assert rewritten != first
    (paths.inbox / "bulletins" / "2025.txt").write_text("x")
    added = input_fingerprint(paths, DBT_PROJECT_DIR)
    assert added not in (first, rewritten)
    (paths.inbox / "bulletins" / "2025.txt").unlink()
    assert input_fingerprint(paths, DBT_PROJECT_DIR) == rewritten
