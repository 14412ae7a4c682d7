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
    plan = plan_build(BuiltState("proj", TABLES), "proj", TABLES | {"bulletin_figures": "b2"}, build_db_usable=True)
    assert plan == BuildPlan(False, ("bulletin_figures",), "incremental: bulletin_figures changed")
    # rebuilt: the bulletin chain and the run's own row; kept: plans, their dims and the seeds
    assert plan.exclusions(MANIFEST) == ["dim_plan", "status_codes", "stg_plan__plans"]


def test_a_removed_table_counts_as_changed():
    tables = {k: v for k, v in TABLES.items() if k != "plans"}
    plan = plan_build(BuiltState("proj", TABLES), "proj", tables, build_db_usable=True)
    assert plan.changed_tables == ("plans",)
    assert "dim_plan" not in plan.exclusions(MANIFEST)


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
