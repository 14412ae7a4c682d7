"""The raw floor of a build: the SQL dbt ran, executed by DuckDB directly, in one process, with nothing around it.

    uv run python bench/raw_floor.py WAREHOUSE_DIR [--json OUT]

Reads WAREHOUSE_DIR/dbt_target (left by a `planwatch build`): every model's run SQL (the DDL dbt executed, contracts
included; `__dbt_tmp` names replaced by the final ones) in dependency order, then every data test's compiled SQL
wrapped as dbt wraps it (`select count(*) … from (<test>)`). The sources are the same landed Parquet files the build
read (their paths are in the compiled SQL). The databases are fresh files named like the build's (`working.duckdb`,
with `planwatch.duckdb` attached, as dbt_project/profiles.yml does) in a temporary folder, so relation names
("planwatch"."marts"…, "working"."intermediate"…) resolve as in the build. dbt's unit tests (fixtures,
not data) are left out: their cost does not grow with the data and is reported from run_results.json instead.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb


def _statements(path: Path) -> str:
    return re.sub(r'__dbt_tmp"', '"', path.read_text(encoding="utf-8"))


def plan(target: Path) -> tuple[list[str], list[dict], list[dict], list[tuple[str, str, str]]]:
    """(database names, the working one first; models in dependency order; data tests; seeds and non-Parquet
    sources as (database, schema, name)) from the manifest of the last build."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    models = {k: v for k, v in nodes.items() if v["resource_type"] == "model"}
    staging = {v["database"] for v in models.values() if v["config"]["materialized"] == "view"}
    databases = sorted({v["database"] for v in models.values()}, key=lambda d: (d not in staging, d))
    graph = {k: [d for d in v["depends_on"]["nodes"] if d in models] for k, v in models.items()}
    order = list(TopologicalSorter(graph).static_order())
    steps = []
    for key in order:
        node = models[key]
        run_file = target / "run" / node["package_name"] / node["original_file_path"]
        materialized = node["config"]["materialized"]
        if run_file.exists():
            sql = _statements(run_file)
        else:  # compiled SQL as a view or table
            kind = "view" if materialized == "view" else "table"
            sql = f"create or replace {kind} {node['relation_name']} as (\n{node['compiled_code']}\n)"
        steps.append(
            {
                "name": node["name"],
                "database": node["database"],
                "schema": node["schema"],
                "materialized": materialized,
                "sql": sql,
            }
        )
    inputs = [
        (v["database"], v["schema"], v["name"])
        for v in [*nodes.values(), *manifest.get("sources", {}).values()]
        if v["resource_type"] in ("seed", "source") and not str(v.get("relation_name") or "").startswith("read_")
    ]
    tests = [
        {"name": v["name"], "sql": f"select count(*) as failures from (\n{v['compiled_code']}\n) as dbt_internal_test"}
        for v in nodes.values()
        if v["resource_type"] == "test" and v.get("compiled_code")
    ]
    return databases, steps, tests, inputs


def copy_inputs(con: duckdb.DuckDBPyConnection, warehouse: Path, inputs: list[tuple[str, str, str]]) -> list[str]:
    """Copy the seed (and non-Parquet source) tables from the build files or the served file; the names missing."""
    missing = []
    candidates = (
        warehouse / "build" / "planwatch.duckdb",
        warehouse / "build" / "working.duckdb",
        warehouse / "serving" / "planwatch.duckdb",
    )
    files = [p for p in candidates if p.exists()]
    for i, path in enumerate(files):
        con.execute(f"attach '{path}' as input_{i} (read_only)")
    for database, schema, name in inputs:
        for i in range(len(files)):
            found = con.execute(
                "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? and table_name = ?",
                [f"input_{i}", schema, name],
            ).fetchone()[0]
            if found:
                source = f'input_{i}."{schema}"."{name}"'
                con.execute(f'create or replace table "{database}"."{schema}"."{name}" as select * from {source}')
                break
        else:
            missing.append(f"{schema}.{name}")
    for i in range(len(files)):
        con.execute(f"detach input_{i}")
    return missing


def run(warehouse: Path, target: Path | None = None) -> dict:
    target = target or warehouse / "dbt_target"
    databases, steps, tests, inputs = plan(target)
    with tempfile.TemporaryDirectory(prefix="raw_floor_") as tmp:
        # files named like the build's: the catalog names the compiled SQL uses
        con = duckdb.connect(str(Path(tmp) / f"{databases[0]}.duckdb"))
        for other in databases[1:]:
            con.execute(f"attach '{Path(tmp) / other}.duckdb' as \"{other}\"")
        con.execute("set enable_progress_bar = false")
        schemas = {(s["database"], s["schema"]) for s in steps} | {(d, s) for d, s, _ in inputs}
        for database, schema in sorted(schemas):
            con.execute(f'create schema if not exists "{database}"."{schema}"')
        missing = copy_inputs(con, warehouse, inputs)
        started = time.perf_counter()
        timings = []
        for step in steps:
            t0 = time.perf_counter()
            con.execute(step["sql"])
            timings.append(
                {"model": step["name"], "materialized": step["materialized"], "seconds": time.perf_counter() - t0}
            )
        models_s = time.perf_counter() - started
        t_tests = time.perf_counter()
        failing = []
        test_timings = []
        for test in tests:
            t0 = time.perf_counter()
            failures = con.execute(test["sql"]).fetchone()[0]
            test_timings.append({"test": test["name"], "seconds": time.perf_counter() - t0})
            if failures:
                failing.append(test["name"])
        tests_s = time.perf_counter() - t_tests
        con.execute("checkpoint")
        con.close()
        total_s = time.perf_counter() - started
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    unit_tests_s = sum(r["execution_time"] for r in run_results["results"] if r["unique_id"].startswith("unit_test."))
    dbt_models_s = sum(r["execution_time"] for r in run_results["results"] if r["unique_id"].startswith("model."))
    dbt_tests_s = sum(r["execution_time"] for r in run_results["results"] if r["unique_id"].startswith("test."))
    return {
        "models": len(steps),
        "inputs_copied": len(inputs) - len(missing),
        "inputs_missing": missing,
        "data_tests": len(tests),
        "failing_tests": failing,
        "raw_models_s": models_s,
        "raw_tests_s": tests_s,
        "raw_total_s": total_s,
        "slowest_models": sorted(timings, key=lambda t: -t["seconds"])[:8],
        "slowest_tests": sorted(test_timings, key=lambda t: -t["seconds"])[:5],
        "dbt_elapsed_s": run_results.get("elapsed_time"),
        "dbt_models_exec_s": dbt_models_s,  # sum over threads (dbt runs 2)
        "dbt_data_tests_exec_s": dbt_tests_s,
        "dbt_unit_tests_exec_s": unit_tests_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--target", type=Path, help="dbt target folder (default WAREHOUSE/dbt_target)")
    args = parser.parse_args(argv)
    result = run(args.warehouse, args.target)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"raw DuckDB: {result['models']} models in {result['raw_models_s']:.2f} s, {result['data_tests']} data "
        f"tests in {result['raw_tests_s']:.2f} s ({len(result['failing_tests'])} failing); dbt's own elapsed "
        f"{result['dbt_elapsed_s']:.2f} s"
    )
    for t in result["slowest_models"][:5]:
        print(f"  {t['model']:<40} {t['materialized']:<6} {t['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
