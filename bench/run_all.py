"""`make bench`: how the pipeline's cost grows with the number of regions, against raw DuckDB doing the same SQL,
with every figure of issue 15's "Done when" checked against its target.

    uv run python bench/run_all.py [--sizes 1,100,3000,10000] [--dashboard-sizes 1,3000 | --no-dashboards]
                                   [--repeat 20] [--timeout-min 180] [--results bench/RESULTS.md]

For each size N (SYNTHETIC regions made by bench/synth.py, plus the real Qianjiang inputs), in its own installation
bench/out/scale-N/ (inbox/, catalog/, warehouse/, dagster/; never the real ones):
  1. full build: `planwatch build --quiet` in a fresh process from an empty warehouse (bench/pipeline_run.py),
     process start to exit (= to published), peak memory of its process tree (RSS summed over the processes: Python,
     dbt; sampled every 0.1 s), seconds per Dagster step from the run's event log;
  2. raw floor: the SQL dbt ran (bench/raw_floor.py), executed by DuckDB in one process; full ÷ floor;
  3. no-change rerun; 4. one-new-bulletin rerun (the 2025 bulletin of region 1, held back until now);
  5. sizes: served file, build file, landed files, and the marts' own size (a fresh DuckDB file holding only the
     tables of schema marts, copied from the served file; see `marts_own_size`).
Then bulletin extraction throughput (bench/bench_extract.py) and dashboard latency (bench/bench_dashboards.py)
against a Superset bootstrapped into bench/out/superset-local/ and serving bench/out/superset-wh/ (the served file
of each measured size is swapped in, as the nightly publish does), at the --dashboard-sizes only.
Writes bench/RESULTS.md (with a "Done when" table: each target, its figure, PASS/FAIL), bench/out/results.json and
the figures block of bench/SCALING.md (between its `figures:begin` and `figures:end` markers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import psutil
import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import pipeline_run  # noqa: E402
import synth  # noqa: E402

from planwatch_core.processes import stop_process_group  # noqa: E402

PY = sys.executable
STEP_NAMES = {  # Dagster step → what it is
    "land_catalog": "land catalog (YAML → Parquet)",
    "land_bulletins": "land bulletins (read + Parquet)",
    "land_plans": "land plans (parse)",
    "land_submissions": "land submissions",
    "land_published": "land published figures",
    "land_manifest": "manifest",
    "landing__plan_targets_catalog_drift_check": "check: catalog drift",
    "landing__plan_targets_plan_target_counts_check": "check: parsed row counts",
    "planwatch_dbt_models": "dbt build (models + tests)",
    "published_warehouse": "checks + publish",
}
RUNS = ("full", "nochange", "new_bulletin")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- measuring a process ---------------------------------------------------------------------------------------

HEARTBEAT_S = 30.0  # a progress line this often while a measured process runs


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _doing(procs: list[psutil.Process]) -> str:
    """How many processes the tree has, for the progress line: the build's own (dbt runs inside it) and, after the
    landing has started them, its reader processes."""
    return "1 process" if len(procs) == 1 else f"{len(procs)} processes"


def measured(
    cmd: list[str],
    env: dict[str, str],
    log_file: Path,
    timeout_s: float = 3 * 3600,
    max_rss_mb: float | None = None,
    label: str = "",
) -> dict:
    """Run cmd; wall time and peak RSS of its process tree (sum over processes, and the largest one). The tree is
    killed past timeout_s, or when its RSS passes max_rss_mb (the machine is shared: a run that would swap it
    stops instead, and the report says so). A progress line every HEARTBEAT_S."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    killed = None
    with log_file.open("w") as handle:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        root = psutil.Process(proc.pid)
        peak_tree = peak_one = 0
        next_beat = started + HEARTBEAT_S
        while proc.poll() is None:
            procs = _tree(root)
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                peak_one = max(peak_one, rss)
            peak_tree = max(peak_tree, total)
            now = time.perf_counter()
            if now - started > timeout_s and not killed:
                killed = f"timeout after {timeout_s / 60:.0f} min"
            elif max_rss_mb and total / 2**20 > max_rss_mb and not killed:
                killed = f"memory: process tree passed {max_rss_mb:.0f} MB"
            if killed and proc.poll() is None:
                log(f"    {label}: stopping it ({killed})")
                stop_process_group(proc)
                break
            if now >= next_beat and label:
                log(
                    f"    {label}: running {now - started:.0f} s, {_doing(procs)}, RSS {total / 2**20:.0f} MB "
                    f"(peak {peak_tree / 2**20:.0f} MB)"
                )
                next_beat = now + HEARTBEAT_S
            time.sleep(0.1)
        proc.wait()
        wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "rc": proc.returncode,
        "killed": killed,
        "peak_tree_rss_mb": round(peak_tree / 2**20),
        "peak_process_rss_mb": round(peak_one / 2**20),
        "log": str(log_file.relative_to(REPO)),
    }


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DAGSTER_", "SUPERSET_"))}
    env.pop("PYTHONPATH", None)
    env.update(extra or {})
    return env


def pipeline(inst: synth.Installation, label: str, limits: dict) -> dict:
    """One `planwatch build --quiet` of the installation, measured (bench/pipeline_run.py says what is read)."""
    home = pipeline_run.prepare_dagster_home(inst.root / "dagster")
    served = inst.warehouse / "serving" / "planwatch.duckdb"
    before, known = pipeline_run.served_state(served), pipeline_run.run_ids(home)
    result = measured(
        pipeline_run.build_command(),
        # the installation's own Dagster instance and local state (logs, any cache a build keeps there)
        clean_env(inst.env() | {"DAGSTER_HOME": str(home), "PLANWATCH_LOCAL": str(inst.root / "local")}),
        OUT / "runs" / f"scale-{inst.n}-{label}.log",
        label=f"N={inst.n} {label}",
        **limits,
    )
    run = pipeline_run.last_run(home, known)
    result |= pipeline_run.summarise(result["wall_s"], result["rc"], before, pipeline_run.served_state(served), run)
    if result["rc"] != 0:
        tail = (REPO / result["log"]).read_text(errors="replace").strip().splitlines()[-3:]
        log(
            f"  {label}: FAILED (rc {result['rc']}{', ' + result['killed'] if result['killed'] else ''}), "
            f"see {result['log']}: {' | '.join(tail)[:400]}"
        )
    return result


# --- facts about a built warehouse --------------------------------------------------------------------------------

MARTS_SCHEMA = "marts"  # the schema whose own size the served file is compared with (issue 15's target)
CONTRACT_SCHEMAS = ("marts", "presentation")  # what issue 15 publishes; reported beside it


def _mb(paths: list[Path]) -> float:
    return round(sum(p.stat().st_size for p in paths if p.is_file()) / 1e6, 1)


def marts_own_size(served: Path, schemas: tuple[str, ...] = (MARTS_SCHEMA,)) -> dict:
    """The marts' own size: the bytes of a new DuckDB file (same DuckDB version and default storage, checkpointed)
    holding only the tables of schema `marts`, copied row for row from the served file. It is what a served file
    of the marts alone would weigh, measured the same way as the served file (a DuckDB file, not an estimate), so
    served ÷ own counts exactly what else the served file carries: other schemas' tables, free blocks, indexes.
    With `schemas` = the contract schemas (marts, presentation): what a served file of exactly those would weigh."""
    with tempfile.TemporaryDirectory(prefix="marts_own_", dir=OUT) as tmp:
        own = Path(tmp) / "own.duckdb"
        con = duckdb.connect(str(own))
        tables = []
        try:
            con.execute(f"attach '{served}' as served (read_only)")
            for schema in schemas:
                names = con.execute(
                    "select table_name from duckdb_tables() where database_name = 'served' and schema_name = ? "
                    "order by 1",
                    [schema],
                ).fetchall()
                con.execute(f'create schema "{schema}"')
                for (name,) in names:
                    con.execute(f'create table "{schema}"."{name}" as select * from served."{schema}"."{name}"')
                    tables.append(f"{schema}.{name}")
            con.execute("detach served")
            con.execute("checkpoint")
        finally:
            con.close()
        return {"tables": len(tables), "mb": round(own.stat().st_size / 1e6, 1)}


def served_contents(con: duckdb.DuckDBPyConnection) -> dict:
    """Tables and rows per schema of the served file, and its used and free blocks (pragma database_size)."""
    schemas = {
        schema: {"tables": tables, "rows": int(rows or 0)}
        for schema, tables, rows in con.execute(
            "select schema_name, count(*), sum(estimated_size) from duckdb_tables() "
            "where database_name = current_database() group by 1 order by 1"
        ).fetchall()
    }
    size = con.execute("pragma database_size").fetchdf().iloc[0]
    block = int(size["block_size"])
    return {
        "schemas": schemas,
        "served_used_mb": round(int(size["used_blocks"]) * block / 1e6, 1),
        "served_free_mb": round(int(size["free_blocks"]) * block / 1e6, 1),
    }


def warehouse_facts(inst: synth.Installation) -> dict:
    served = inst.warehouse / "serving" / "planwatch.duckdb"
    landing = inst.warehouse / "landing"
    landed = [p for p in landing.rglob("*") if p.is_file()]  # dbt's Parquet buckets and the Arrow parts behind them
    build_files = [p for p in (inst.warehouse / "build").rglob("*") if p.is_file()]
    facts: dict = {
        "served_mb": round(served.stat().st_size / 1e6, 1) if served.exists() else None,
        "build_mb": _mb(build_files) if build_files else None,
        "landing_files": len(landed),
        "landing_mb": _mb(landed),
        "state_mb": _mb([p for p in (inst.warehouse / "state").rglob("*") if p.is_file()]),
        "inbox_files": {
            k: sum(1 for p in (inst.inbox / k).iterdir()) for k in ("plans", "bulletins", "submissions", "published")
        },
    }
    if not served.exists():
        return facts
    t0 = time.perf_counter()
    own = marts_own_size(served)
    contract = marts_own_size(served, CONTRACT_SCHEMAS)
    facts |= {"marts_tables": own["tables"], "marts_own_mb": own["mb"]}
    facts |= {"contract_tables": contract["tables"], "contract_own_mb": contract["mb"]}
    facts["marts_own_s"] = round(time.perf_counter() - t0, 1)
    con = duckdb.connect(str(served), read_only=True)
    try:
        facts |= served_contents(con)
        for table in (
            "dim_plan",
            "dim_indicator",
            "fct_indicator_actual",
            "fct_indicator_progress",
            "fct_bulletin_figure",
            "rpt_coverage",
        ):
            try:
                facts[f"rows_{table}"] = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            except duckdb.Error:
                facts[f"rows_{table}"] = None
        try:
            facts["synthetic_coverage"] = con.execute(
                "select round(avg(has_actual::int), 4) from marts.rpt_coverage "
                "where plan_id like 'synth-%' and year > 2020 and is_headline"
            ).fetchone()[0]
        except duckdb.Error as exc:
            facts["synthetic_coverage"] = f"not measured ({type(exc).__name__})"
    finally:
        con.close()
    return facts


def dbt_target(inst: synth.Installation) -> Path | None:
    """dbt's target folder of the installation: warehouse/dbt_target, else wherever under warehouse/ dbt left its
    run_results.json (the orchestration may move it)."""
    usual = inst.warehouse / "dbt_target"
    if (usual / "run_results.json").exists():
        return usual
    found = sorted(inst.warehouse.rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    return found[-1].parent if found else None


def dbt_facts(inst: synth.Installation) -> dict:
    """dbt's own elapsed time and slowest nodes of the last run (its run_results.json), if it ran."""
    folder = dbt_target(inst)
    if folder is None:
        return {}
    target = folder / "run_results.json"
    results = json.loads(target.read_text())
    return {
        "dbt_elapsed_s": round(results["elapsed_time"], 2),
        "dbt_nodes": len(results["results"]),
        "dbt_slowest": [
            (r["unique_id"].split(".", 2)[-1], round(r["execution_time"], 2))
            for r in sorted(results["results"], key=lambda r: -r["execution_time"])[:6]
        ],
    }


# --- Superset ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def swap_in(served: Path, warehouse: Path) -> None:
    """Publish a copy of `served` as warehouse/serving/planwatch.duckdb by an atomic rename, as the pipeline does."""
    target = warehouse / "serving" / "planwatch.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(".incoming.duckdb")
    shutil.copyfile(served, temporary)
    os.replace(temporary, target)


def superset_bench(sizes: list[int], repeat: int) -> dict:
    venv = REPO / "superset_config" / ".venv" / "bin" / "superset"
    if not venv.exists():
        return {"skipped": "Superset environment missing: run `uv run planwatch superset install` (make bench does)"}
    local, warehouse = OUT / "superset-local", OUT / "superset-wh"
    shutil.rmtree(local, ignore_errors=True)
    shutil.rmtree(warehouse, ignore_errors=True)
    user, password = "bench-admin", secrets.token_urlsafe(18)  # this run only; the state is wiped next run
    env = clean_env(
        {
            "PLANWATCH_LOCAL": str(local),
            "PLANWATCH_WAREHOUSE": str(warehouse),
            "PLANWATCH_ADMIN_USER": user,
            "PLANWATCH_ADMIN_PASSWORD": password,
            "PLANWATCH_SUPERSET_WORKERS": "2",
            "PLANWATCH_LOCAL_DEMO": "0",
        }
    )
    first = OUT / f"scale-{sizes[0]}" / "warehouse" / "serving" / "planwatch.duckdb"
    swap_in(first, warehouse)
    result: dict = {"sizes": {}}
    log("  bootstrapping Superset (metadata, roles, users, dashboards) into bench/out/superset-local")
    boot = measured(
        [PY, "-m", "planwatch.cli", "superset", "bootstrap"],
        env,
        OUT / "runs" / "superset-bootstrap.log",
        label="superset bootstrap",
    )
    result["bootstrap_s"] = boot["wall_s"]
    if boot["rc"] != 0:
        result["error"] = f"bootstrap failed, see {boot['log']}"
        return result
    port = free_port()
    serve_log = (OUT / "runs" / "superset-serve.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-m", "planwatch.cli", "superset", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=serve_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                result["error"] = "superset exited at start, see bench/out/runs/superset-serve.log"
                return result
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - started > 180:
                result["error"] = "superset not healthy after 180 s"
                return result
            time.sleep(0.5)
        result["start_s"] = round(time.perf_counter() - started, 1)
        log(f"superset up on {url} in {result['start_s']} s (bootstrap {boot['wall_s']} s)")
        for i, n in enumerate(sizes, 1):
            served = OUT / f"scale-{n}" / "warehouse" / "serving" / "planwatch.duckdb"
            if not served.exists():
                continue
            swap_in(served, warehouse)
            log(f"  dashboards at N={n} ({i}/{len(sizes)}): every chart, {repeat} requests each")
            out = OUT / f"dashboards-{n}.json"
            run = measured(
                [PY, str(HERE / "bench_dashboards.py"), "--url", url, "--repeat", str(repeat), "--out", str(out)],
                env,
                OUT / "runs" / f"dashboards-{n}.log",
                label=f"dashboards N={n} ({i}/{len(sizes)})",
            )
            if run["rc"] != 0 or not out.exists():
                result["sizes"][n] = {"error": f"bench_dashboards failed, see {run['log']}"}
                continue
            result["sizes"][n] = json.loads(out.read_text()) | {"wall_s": run["wall_s"]}
            log(f"  dashboards at N={n}: {run['wall_s']:.0f} s")
    finally:
        stop_process_group(proc)  # gunicorn and its workers
        serve_log.close()
    return result


# --- machine --------------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    versions = {}
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "pyarrow", "pandas", "PyYAML"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    site = REPO / "superset_config" / ".venv" / "lib"
    for pattern, name in (
        ("apache_superset-*.dist-info", "apache-superset"),
        ("duckdb_engine-*.dist-info", "duckdb-engine"),
    ):
        found = sorted(site.glob(f"*/site-packages/{pattern}"))
        versions[name] = found[0].name.split("-")[1].removesuffix(".dist") if found else "-"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --- bulletin extraction ---------------------------------------------------------------------------------------


def extract_bench(n: int) -> dict:
    run = measured([PY, str(HERE / "bench_extract.py"), "--n", str(n)], clean_env(), OUT / "runs" / "extract.log")
    text = (REPO / run["log"]).read_text()
    found = re.search(r"throughput: (\d+) documents/s, ([\d.]+) MB/s, (\d+) figures/s", text)
    planted = re.search(r"recovered: (\d+)/(\d+)", text)
    return run | {
        "documents": n,
        "docs_per_s": int(found.group(1)) if found else None,
        "mb_per_s": float(found.group(2)) if found else None,
        "figures_per_s": int(found.group(3)) if found else None,
        "planted": f"{planted.group(1)}/{planted.group(2)}" if planted else None,
    }


# --- the report ----------------------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


@dataclass(frozen=True)
class Target:
    """One line of issue 15's "Done when": a figure at a size, with its upper bound."""

    what: str
    n: int
    figure: str  # key of figures()
    limit: float
    unit: str


TARGETS = (
    Target("one new bulletin → published (process start to exit)", 3000, "new_bulletin_s", 20, "s"),
    Target("one new bulletin → published (process start to exit)", 1, "new_bulletin_s", 8, "s"),
    Target("no-change run", 1, "nochange_s", 3, "s"),
    Target("full build", 3000, "full_s", 240, "s"),
    Target("full build ÷ raw-DuckDB floor", 3000, "full_over_floor", 2.5, "×"),
    Target("peak memory (process tree, largest of the three runs)", 3000, "peak_mb", 4096, "MB"),
    Target("served file ÷ marts' own size", 3000, "served_over_marts", 10, "×"),
    Target("every chart p95, as a dashboard loads it (worst chart, Superset's cache allowed)", 1, "chart_warm_p95_ms",
           300, "ms"),
    Target("every chart p95, as a dashboard loads it (worst chart, Superset's cache allowed)", 3000,
           "chart_warm_p95_ms", 300, "ms"),
    Target("every chart p95, cold (worst chart, force=true: cache bypassed)", 1, "chart_p95_ms", 300, "ms"),
    Target("every chart p95, cold (worst chart, force=true: cache bypassed)", 3000, "chart_p95_ms", 300, "ms"),
)


def figures(results: dict, n: int) -> dict[str, float | None]:
    """The figures of one size the targets, the tables and SCALING.md are about (None when not measured)."""
    r = results["sizes"].get(n, {})
    f = r.get("facts", {})
    ok = lambda run: run.get("rc") == 0  # noqa: E731 (a failed run has no figure to compare)
    full, nochange, new = r.get("full", {}), r.get("nochange", {}), r.get("new_bulletin", {})
    raw = r.get("raw", {})
    floor = (raw.get("raw_models_s") or 0) + (raw.get("raw_tests_s") or 0) or None
    readers = r.get("parse", {}).get("readers_s")
    peaks = [run.get("peak_tree_rss_mb") for run in (full, nochange, new) if run]
    charts = results.get("superset", {}).get("sizes", {}).get(n, {}).get("charts")
    served, own = f.get("served_mb"), f.get("marts_own_mb")
    return {
        "full_s": full.get("wall_s") if ok(full) else None,
        "nochange_s": nochange.get("wall_s") if ok(nochange) else None,
        "new_bulletin_s": new.get("wall_s") if ok(new) else None,
        "floor_s": floor,
        "full_over_floor": full["wall_s"] / floor if ok(full) and floor else None,
        "readers_s": readers,
        "full_over_floors": full["wall_s"] / (readers + floor) if ok(full) and floor and readers else None,
        "floors_over_floor": (readers + floor) / floor if floor and readers else None,
        "peak_mb": max(peaks) if peaks else None,
        "full_peak_mb": full.get("peak_tree_rss_mb"),
        "served_mb": served,
        "marts_own_mb": own,
        "served_over_marts": served / own if served and own else None,
        "landing_mb": f.get("landing_mb"),
        "build_mb": f.get("build_mb"),
        "chart_p95_ms": max(c["superset_p95_ms"] for c in charts) if charts else None,
        "chart_warm_p95_ms": max(c.get("warm_p95_ms", float("nan")) for c in charts) if charts else None,
    }


def verdict(target: Target, value: float | None) -> str:
    if value is None:
        return "not measured"
    return "**PASS**" if value <= target.limit else "**FAIL**"


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return fmt_s(value)
    if unit == "×":
        return f"{value:.1f}×"
    return f"{value:.0f} {unit}"


def marked(results: dict, n: int, key: str, text: str) -> str:
    """A table cell with ✓/✗ when issue 15 sets a target for this figure at this size."""
    for t in TARGETS:
        if t.n == n and t.figure == key:
            value = figures(results, n)[key]
            if value is not None:
                limit = f"{t.limit:g}{'' if t.unit == '×' else ' '}{t.unit}"
                return f"{text} {'✓' if value <= t.limit else '✗'} (≤ {limit})"
    return text


def done_when(results: dict) -> list[str]:
    lines = [
        "## Done when (issue 15): each target against this run",
        "",
        "| target | N | limit | measured | verdict |",
        "|---|---:|---:|---:|---|",
    ]
    for t in TARGETS:
        if t.n not in results["sizes"]:
            lines.append(f"| {t.what} | {t.n} | ≤ {t.limit:g} {t.unit} | – | not measured (size not run) |")
            continue
        value = figures(results, t.n)[t.figure]
        lines.append(
            f"| {t.what} | {t.n} | ≤ {t.limit:g} {t.unit} | {fmt_value(value, t.unit)} | {verdict(t, value)} |"
        )
    lines += [
        "| `make test` passes on a fresh clone | – | – | – | not measured by `make bench` (run `make test`) |",
        "",
        "Peak memory = RSS summed over the process tree (the build process, its dbt process and the landing's "
        "reader processes), sampled "
        "every 0.1 s, the largest of the full build, the no-change and the one-new-bulletin run. Marts' own size = "
        "a new DuckDB file holding only the tables of schema `marts`, copied from the served file and "
        "checkpointed (`marts_own_size` in bench/run_all.py); the same for both contract schemas (marts and "
        "presentation) is shown beside it under Sizes.",
    ]
    for t in TARGETS:
        fig = figures(results, t.n) if t.figure == "full_over_floor" and t.n in results["sizes"] else {}
        if fig.get("floors_over_floor"):
            lines += [
                "",
                f"The raw-DuckDB floor is dbt's SQL alone ({fmt_s(fig['floor_s'])} at N={t.n}); reading the inputs is "
                f"not in it. The readers alone, with nothing around them (bench/parse_floor.py, below), took "
                f"{fmt_s(fig['readers_s'])}: a full build whose landing cost no more than its readers and whose dbt "
                f"ran at the floor would still be {fig['floors_over_floor']:.1f}× that floor. This run's full build "
                f"is {fig['full_over_floors']:.1f}× the two floors together.",
            ]
    return lines


def cost_per_region(results: dict) -> list[dict]:
    """Per size: totals, per region (÷ N) and marginal per added region (the slope from the next smaller size)."""
    rows, previous = [], None
    for n in sorted(results["sizes"]):
        fig = figures(results, n)
        row = {"n": n, **fig}
        for key in ("full_s", "new_bulletin_s", "full_peak_mb", "served_mb", "landing_mb", "build_mb"):
            value = fig.get(key)
            row[f"{key}_per_region"] = value / n if value is not None else None
            before = previous.get(key) if previous else None
            row[f"{key}_marginal"] = (
                (value - before) / (n - previous["n"]) if value is not None and before is not None else None
            )
        rows.append(row)
        previous = row
    return rows


def _num(value: float | None, digits: int = 2, scale: float = 1.0) -> str:
    return "–" if value is None else f"{value * scale:.{digits}f}"


def cost_table(results: dict) -> list[str]:
    lines = [
        "| N | full build | s per region | marginal s per added region | new bulletin | peak RSS (full) | "
        "MB per region | marginal MB per added region | served MB | marts' own MB | landed MB | build file MB | "
        "served KB per region | landed KB per region |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in cost_per_region(results):
        lines.append(
            f"| {row['n']} | {fmt_s(row['full_s'])} | {_num(row['full_s_per_region'], 3)} | "
            f"{_num(row['full_s_marginal'], 3)} | {fmt_s(row['new_bulletin_s'])} | "
            f"{_num(row['full_peak_mb'], 0)} MB | {_num(row['full_peak_mb_per_region'], 2)} | "
            f"{_num(row['full_peak_mb_marginal'], 3)} | {_num(row['served_mb'], 1)} | {_num(row['marts_own_mb'], 1)} | "
            f"{_num(row['landing_mb'], 1)} | {_num(row['build_mb'], 1)} | "
            f"{_num(row['served_mb_per_region'], 1, 1000)} | {_num(row['landing_mb_per_region'], 1, 1000)} |"
        )
    return lines


def render(results: dict) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `make bench` (bench/run_all.py {results.get('argv', '')}) on {m['date']}, commit "
        f"{m['commit']}, in {results['total_s'] / 60:.1f} min. **All inputs are synthetic** (bench/synth.py: made-up "
        "regions `synth-NNNN`, codes 9xxxxx, every file marked 合成测试数据), plus the real Qianjiang outline and "
        "published figures, which the 13th-plan verdict test needs.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gb']} GB; {m['os']}; Python {m['python']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"- load average when the run started: {m.get('load', '–')} (the figures are wall times: other work on the "
        "machine slows them)",
        "",
        *done_when(results),
        "",
        "## Workload per size",
        "",
        "Each synthetic region: one plan (60 indicators of every kind: final-year ge/le/lt/gt/approx, average △, "
        "cumulative 【】 sum and compound, qualitative 达标, structure a:b:c, '－' baselines, '#' sub-rows, a chained "
        "constant-price series, two ratios), 5 bulletins (2021-2025, ~32 mapped figures each), one department "
        "submission (29 indicators × 5 years), one published-figures file (industry structure). Generating the "
        f"corpus: {results.get('corpus', {}).get('note', '–')}.",
        "",
        "| N regions | plans | bulletins | submissions | catalog entries | landing files | landed MB | "
        "indicators | actuals (all vintages) | progress rows | synthetic headline coverage |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sizes.items():
        f = r.get("facts", {})
        files = f.get("inbox_files", {})
        lines.append(
            f"| {n} | {files.get('plans', '–')} | {files.get('bulletins', '–')} | {files.get('submissions', '–')} | "
            f"{r.get('catalog_entries', '–')} | {f.get('landing_files', '–')} | {f.get('landing_mb', '–')} | "
            f"{f.get('rows_dim_indicator', '–')} | {f.get('rows_fct_indicator_actual', '–')} | "
            f"{f.get('rows_fct_indicator_progress', '–')} | {f.get('synthetic_coverage', '–')} |"
        )
    lines += [
        "",
        "(bulletins: after the one-new-bulletin rerun; the full build had one fewer.)",
        "",
        "## Pipeline against raw DuckDB",
        "",
        "Every run = `planwatch build --quiet` in a fresh process (bench/pipeline_run.py), timed from process start "
        "to exit; when it publishes, the atomic rename of the served file is its last act, so this is the time from "
        "start to published. Full build = from an empty warehouse; no-change = the same inputs again; new bulletin = "
        "one more bulletin (region 1's 2025 bulletin, held back until then). Raw floor = the SQL dbt ran in the full "
        "build (models' run SQL in dependency order, then the data tests), executed by DuckDB in one process "
        "(bench/raw_floor.py). Peak memory = RSS summed over the process tree, sampled every 0.1 s. ✓/✗ mark the "
        "figures issue 15 sets a target for at that size.",
        "",
        "| N | full build | peak RSS full (tree / largest process) | dbt build (dbt's elapsed) | raw floor: models + "
        "tests | full ÷ raw | dbt ÷ raw | no-change rerun | one-new-bulletin rerun | peak RSS no-change / new |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sizes.items():
        full, raw, nc, nb = r.get("full", {}), r.get("raw", {}), r.get("nochange", {}), r.get("new_bulletin", {})
        fig = figures(results, n)
        dbt = r.get("dbt_full", {}).get("dbt_elapsed_s")
        peak_full = f"{full.get('peak_tree_rss_mb', '–')} MB"
        lines.append(
            f"| {n} | {marked(results, n, 'full_s', fmt_s(full.get('wall_s')))} | "
            f"{marked(results, n, 'full_peak_mb', peak_full)} / "
            f"{full.get('peak_process_rss_mb', '–')} MB | {fmt_s(dbt)} | "
            f"{fmt_s(raw.get('raw_models_s'))} + {fmt_s(raw.get('raw_tests_s'))} = {fmt_s(fig['floor_s'])} | "
            f"{marked(results, n, 'full_over_floor', ratio(full.get('wall_s'), fig['floor_s']))} | "
            f"{ratio(dbt, fig['floor_s'])} | {marked(results, n, 'nochange_s', fmt_s(nc.get('wall_s')))} | "
            f"{marked(results, n, 'new_bulletin_s', fmt_s(nb.get('wall_s')))} | "
            f"{nc.get('peak_tree_rss_mb', '–')} / {nb.get('peak_tree_rss_mb', '–')} MB |"
        )
    lines += [
        "",
        "Success of each run (rc 0; published = the served file was replaced): "
        + "; ".join(f"N={n}: " + ", ".join(_run_outcome(k, r.get(k)) for k in RUNS) for n, r in sizes.items()),
    ]
    lines += readers_section(results)
    lines += [
        "",
        "### Where the time goes (seconds per Dagster step, from the run's event log)",
        "",
        "The first row is everything the command does outside the Dagster run: process start, imports, building "
        "the definitions, the summary (wall time − the run's own duration; the whole wall time when no Dagster run "
        "started). The second is the run's time between its steps.",
        "",
        "| step | " + " | ".join(f"N={n} full | no-change | new bulletin" for n in sizes) + " |",
        "|---|" + "---:|" * (3 * len(sizes)),
    ]
    extra = []
    for r in sizes.values():
        for k in RUNS:
            for step in r.get(k, {}).get("steps", {}):
                if step not in STEP_NAMES and step not in extra:
                    extra.append(step)
    rows = [
        ("outside the Dagster run (start, imports, definitions)", lambda run: run.get("outside_run_s")),
        ("Dagster between steps", _between_steps),
    ]
    rows += [(STEP_NAMES.get(s, s), _step_getter(s)) for s in [*STEP_NAMES, *extra]]
    for name, get in rows:
        cells = []
        for r in sizes.values():
            for k in RUNS:
                value = get(r.get(k, {})) if r.get(k) else None
                cells.append(f"{value:.1f}" if isinstance(value, int | float) else "–")
        if any(c != "–" for c in cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Steps run one after another (the instance allows one writer); a step not run shows –.", ""]
    lines += ["### Slowest dbt nodes of the full build (dbt's timing) and the same models on raw DuckDB", ""]
    for n, r in sizes.items():
        slow = r.get("dbt_full", {}).get("dbt_slowest", [])
        raw_slow = r.get("raw", {}).get("slowest_models", [])
        lines.append(
            f"- N={n}: dbt "
            + ", ".join(f"{name} {t:.1f} s" for name, t in slow[:5])
            + "; raw "
            + ", ".join(f"{t['model']} {t['seconds']:.1f} s" for t in raw_slow[:4])
        )
    lines += [
        "",
        "## Sizes on disk and cost per region",
        "",
        "Served = warehouse/serving/planwatch.duckdb after the last run; marts' own = the tables of schema marts "
        "alone in a new DuckDB file (see above); build file = what warehouse/build/ holds after the last run "
        "(the contract file publishing copies and the working file of staging and intermediate); landed = the "
        "files under warehouse/landing/ (the Parquet dbt reads and the per-file Arrow parts it is compacted from). Per "
        "region = total ÷ N (fixed costs included); marginal = (figure at N − figure at the next smaller N) ÷ "
        "(difference in N), the cost of one more region. bench/SCALING.md reads these.",
        "",
        *cost_table(results),
        "",
        "What the served file holds (tables and rows per schema; used and free space by `pragma database_size`):",
        "",
    ]
    for n, r in sizes.items():
        f = r.get("facts", {})
        schemas = f.get("schemas", {})
        over = ratio(f.get("served_mb"), f.get("marts_own_mb"))
        lines.append(
            f"- N={n}: served {f.get('served_mb', '–')} MB (used {f.get('served_used_mb', '–')} MB, free "
            f"{f.get('served_free_mb', '–')} MB), marts' own {f.get('marts_own_mb', '–')} MB "
            f"({f.get('marts_tables', '–')} tables) → {marked(results, n, 'served_over_marts', over)}; contract "
            f"schemas ({', '.join(CONTRACT_SCHEMAS)}) alone {f.get('contract_own_mb', '–')} MB "
            f"({f.get('contract_tables', '–')} tables) → {ratio(f.get('served_mb'), f.get('contract_own_mb'))}; "
            + ", ".join(f"{k}: {v['tables']} tables, {v['rows']:,} rows" for k, v in schemas.items())
        )
    x = results.get("extract", {})
    lines += ["", "## Bulletin extraction throughput", ""]
    if x:
        lines.append(
            f"- bench/bench_extract.py, {x.get('documents')} synthetic bulletins (text, GB18030 text, HTML), one "
            f"process: **{x.get('docs_per_s')} documents/s**, {x.get('mb_per_s')} MB/s, {x.get('figures_per_s')} "
            f"figures/s; planted headline figures recovered {x.get('planted')}; peak RSS "
            f"{x.get('peak_process_rss_mb')} MB."
        )
    for n, r in sizes.items():
        bulletins = r.get("facts", {}).get("inbox_files", {}).get("bulletins")
        step = r.get("full", {}).get("steps", {}).get("land_bulletins")
        if bulletins and step:
            lines.append(
                f"- inside the pipeline at N={n}: {bulletins - 1} bulletins landed in {step:.1f} s = "
                f"{(bulletins - 1) / step:.0f} documents/s (read, extract, write Parquet, state)"
            )
    lines += _dashboard_section(results.get("superset", {}))
    lines += ["", "## Findings", "", *results.get("findings", [])]
    return "\n".join(lines) + "\n"


READER_STEPS = {  # Dagster landing step → its part of bench/parse_floor.py's figures
    "land_catalog": "catalog",
    "land_bulletins": "bulletins",
    "land_plans": "plans",
    "land_submissions": "submissions",
    "land_published": "published",
}


def _readers_s(parse: dict, part: str) -> float | None:
    return parse.get("catalog_s") if part == "catalog" else parse.get("kinds", {}).get(part, {}).get("s")


def readers_section(results: dict) -> list[str]:
    """The full build's landing steps against the readers alone (bench/parse_floor.py)."""
    measured_sizes = {n: r for n, r in results["sizes"].items() if r.get("parse", {}).get("readers_s")}
    if not measured_sizes:
        return []
    lines = [
        "",
        "### The landing against its readers' floor",
        "",
        "Readers' floor = the catalog and every inbox file of the full build parsed by the project's own readers, "
        "one process per core, with nothing around them: no hashes, no state, no Parquet, no Dagster "
        "(bench/parse_floor.py). Each cell: the full build's landing step / the readers alone (their ratio).",
        "",
        "| N | "
        + " | ".join(STEP_NAMES[s] for s in READER_STEPS)
        + " | landing total | full ÷ (readers + SQL floor) |",
        "|---:|" + "---:|" * (len(READER_STEPS) + 2),
    ]
    for n, r in measured_sizes.items():
        steps, parse, cells = r.get("full", {}).get("steps", {}), r["parse"], []
        for step, part in READER_STEPS.items():
            landed, floor = steps.get(step), _readers_s(parse, part)
            cells.append(f"{fmt_s(landed)} / {fmt_s(floor)} ({ratio(landed, floor)})")
        landing = sum(steps.get(s) or 0 for s in READER_STEPS) or None
        fig = figures(results, n)
        lines.append(
            f"| {n} | " + " | ".join(cells) + f" | {fmt_s(landing)} / {fmt_s(parse['readers_s'])} "
            f"({ratio(landing, parse['readers_s'])}) | "
            f"{'–' if fig['full_over_floors'] is None else format(fig['full_over_floors'], '.1f') + '×'} |"
        )
    return lines


def _sections(text: str) -> dict[str, str]:
    """The `## ` sections of a Markdown text by heading (each with its body, up to the next `## `)."""
    parts = re.split(r"(?m)^(?=## )", text)
    return {part.splitlines()[0]: part.rstrip() + "\n" for part in parts if part.startswith("## ")}


def with_other_sections(rendered: str, existing: str) -> str:
    """The rendered report plus the sections of the existing RESULTS.md that other scripts write and this one does
    not (bench_extract_real.py's "Real bulletins"), kept as they are."""
    mine = _sections(rendered)
    kept = [body for heading, body in _sections(existing).items() if heading not in mine]
    return rendered.rstrip() + "\n" + "".join("\n" + body for body in kept)


def _run_outcome(kind: str, run: dict | None) -> str:
    if not run:
        return f"{kind} not run"
    return (
        f"{kind} {'ok' if run.get('rc') == 0 else 'FAILED'}"
        + (f" [stopped: {run['killed']}]" if run.get("killed") else "")
        + (" (published)" if run.get("published") else " (not published)")
    )


def _between_steps(run: dict) -> float | None:
    if run.get("run_s") is None:
        return None
    return run["run_s"] - sum(run.get("steps", {}).values())


def _step_getter(step: str):
    return lambda run: run.get("steps", {}).get(step)


def _dashboard_section(s: dict) -> list[str]:
    lines = ["", "## Dashboard query latency", ""]
    if not s or s.get("skipped") or s.get("error"):
        return [*lines, f"Not measured: {s.get('skipped') or s.get('error') or 'superset step not run'}."]
    lines += [
        f"Superset {s.get('version', '')} bootstrapped in {s.get('bootstrap_s')} s, healthy {s.get('start_s')} s "
        "after start (gunicorn, 2 gthread workers × 4 threads). For every chart of every dashboard "
        "(bench/bench_dashboards.py): `cold` = GET /api/v1/chart/{id}/data/?force=true (cache bypassed: "
        "query + HTTP + JSON); `warm` = the same request as a dashboard makes it (Superset's data cache allowed; "
        "a publish invalidates it, superset_config/served_cache.py); `duckdb fresh` = the same SQL (as Superset "
        "generates it) on a new read-only connection with the bundle's hardening settings, as Superset's NullPool "
        "does; `duckdb open` = the same SQL "
        "on one open connection. The saved chart queries carry no dashboard filter, so at N > 1 they cover every "
        "plan (the province-wide view).",
        "",
        "| N | dashboard | charts | cold p50 (median over charts) | cold p95 (worst chart) | warm p50 | warm p95 "
        "(worst chart) | duckdb fresh p50 / worst p95 | duckdb open p50 / worst p95 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, data in s.get("sizes", {}).items():
        if "charts" not in data:
            lines.append(f"| {n} | {data.get('error')} | | | | | | | |")
            continue
        for slug in dict.fromkeys(c["dashboard"] for c in data["charts"]):  # every dashboard measured, in order
            charts = [c for c in data["charts"] if c["dashboard"] == slug]
            if not charts:
                continue
            med = lambda k, charts=charts: sorted(c[k] for c in charts)[len(charts) // 2]  # noqa: E731
            worst = lambda k, charts=charts: max(c[k] for c in charts)  # noqa: E731
            lines.append(
                f"| {n} | {slug} | {len(charts)} | {med('superset_p50_ms'):.0f} ms | "
                f"{worst('superset_p95_ms'):.0f} ms | {med('warm_p50_ms'):.0f} ms | {worst('warm_p95_ms'):.0f} ms | "
                f"{med('duckdb_fresh_p50_ms'):.1f} / "
                f"{worst('duckdb_fresh_p95_ms'):.1f} ms | {med('duckdb_open_p50_ms'):.1f} / "
                f"{worst('duckdb_open_p95_ms'):.1f} ms |"
            )
    for n, data in s.get("sizes", {}).items():
        if "charts" in data:
            slow = sorted(data["charts"], key=lambda c: -c["superset_p95_ms"])[:3]
            lines.append("")
            lines.append(
                f"Slowest charts at N={n} (repeat {data.get('repeat')}): "
                + "; ".join(
                    f"{c['dashboard']}/{c['chart']} ({c['rows']} rows) superset {c['superset_p50_ms']:.0f}/"
                    f"{c['superset_p95_ms']:.0f} ms, duckdb fresh {c['duckdb_fresh_p50_ms']:.0f}/"
                    f"{c['duckdb_fresh_p95_ms']:.0f} ms"
                    for c in slow
                )
            )
    return lines


# --- SCALING.md ------------------------------------------------------------------------------------------------

SCALING = HERE / "SCALING.md"
FIGURES_BEGIN, FIGURES_END = "<!-- figures:begin (bench/run_all.py rewrites this block) -->", "<!-- figures:end -->"


def _reach(rows: list[dict], key: str, limit: float) -> str:
    """N at which the figure `key` reaches `limit`, extrapolated linearly from the two largest sizes."""
    have = [r for r in rows if r.get(key) is not None]
    if len(have) < 2:
        return "–"
    a, b = have[-2], have[-1]
    if b[key] >= limit:
        return f"already at N = {b['n']:,}"
    slope = (b[key] - a[key]) / (b["n"] - a["n"])
    if slope <= 0:
        return "not reached (no growth measured)"
    return f"≈ {b['n'] + (limit - b[key]) / slope:,.0f}"


def scaling_block(results: dict) -> str:
    """The measured block of bench/SCALING.md: cost per region and where each resource runs out on this machine."""
    m = results["machine"]
    rows = cost_per_region(results)
    ram_mb = m["memory_gb"] * 1024
    disk_free_mb = shutil.disk_usage(OUT if OUT.exists() else OUT.parent).free / 2**20  # before the first run too
    lines = [
        FIGURES_BEGIN,
        "",
        f"Measured by `make bench` on {m['date']} (commit {m['commit']}; {m['cores']} cores, {m['memory_gb']} GB; "
        f"bench/RESULTS.md has every figure of the run).",
        "",
        *cost_table(results),
        "",
        "Where each resource runs out on this machine (linear extrapolation from the two largest sizes measured):",
        "",
        "| resource | limit on this machine | reached at N |",
        "|---|---:|---:|",
        f"| memory: peak RSS of the full build | {ram_mb / 1024:.1f} GB (all of it) | "
        f"{_reach(rows, 'full_peak_mb', ram_mb)} |",
        f"| memory: peak RSS of the full build | 4 GB (issue 15's budget) | {_reach(rows, 'full_peak_mb', 4096)} |",
        f"| time: full build | 1 h | {_reach(rows, 'full_s', 3600)} |",
        f"| time: full build | 8 h (a night) | {_reach(rows, 'full_s', 8 * 3600)} |",
        f"| time: one new bulletin → published | 20 s (issue 15) | {_reach(rows, 'new_bulletin_s', 20)} |",
        f"| disk: served + build + landed | {disk_free_mb / 1024:.0f} GB free now | "
        f"{_reach([{**r, 'disk': _disk(r)} for r in rows], 'disk', disk_free_mb)} |",
        "",
    ]
    for r in rows:
        if r.get("new_bulletin_s"):
            lines.append(
                f"- N = {r['n']:,}: one writer publishing one bulletin at a time takes {fmt_s(r['new_bulletin_s'])} "
                f"per bulletin: at most {3600 / r['new_bulletin_s']:,.0f} bulletins an hour."
            )
    for n, r in results["sizes"].items():
        full = r.get("full", {})
        steps = full.get("steps", {})
        if steps and full.get("wall_s"):
            landing = sum(v for k, v in steps.items() if k.startswith("land_"))
            dbt = steps.get("planwatch_dbt_models", 0)
            lines.append(
                f"- N = {n:,}, full build {fmt_s(full['wall_s'])}: landing {fmt_s(landing)} "
                f"({100 * landing / full['wall_s']:.0f} %), dbt {fmt_s(dbt)} ({100 * dbt / full['wall_s']:.0f} %), "
                f"outside the run {fmt_s(full.get('outside_run_s'))}; peak RSS {full.get('peak_tree_rss_mb')} MB "
                f"(largest process {full.get('peak_process_rss_mb')} MB)"
                + (f"; **stopped: {full['killed']}**" if full.get("killed") else "")
                + (" (FAILED)" if full.get("rc") not in (0, None) and not full.get("killed") else "")
            )
    lines += ["", FIGURES_END]
    return "\n".join(lines)


def _disk(row: dict) -> float | None:
    parts = [row.get(k) for k in ("served_mb", "build_mb", "landing_mb")]
    return sum(p or 0 for p in parts) * 1e6 / 2**20 if row.get("served_mb") is not None else None


def update_scaling(results: dict, path: Path = SCALING) -> bool:
    """Rewrite the figures block of SCALING.md; False (and the file untouched) when its markers are missing."""
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    begin, end = text.find(FIGURES_BEGIN), text.find(FIGURES_END)
    if begin < 0 or end < begin:
        return False
    path.write_text(text[:begin] + scaling_block(results) + text[end + len(FIGURES_END) :], encoding="utf-8")
    return True


# --- main ------------------------------------------------------------------------------------------------------


def findings(results: dict) -> list[str]:
    """Where the time goes, computed from this run's figures (the analysis behind them: bench/README.md)."""
    out = []
    sizes = results["sizes"]
    biggest = max(sizes)
    r = sizes[biggest]
    steps = r.get("full", {}).get("steps", {})
    if steps:
        total = r["full"]["wall_s"]
        top = sorted(steps.items(), key=lambda kv: -kv[1])[:4]
        out.append(
            f"- At N={biggest} the full build took {fmt_s(total)}; its largest steps: "
            + ", ".join(f"{STEP_NAMES.get(k, k)} {fmt_s(v)} ({100 * v / total:.0f}%)" for k, v in top)
            + "."
        )
    for n, r in sizes.items():
        nc, nb = r.get("nochange", {}), r.get("new_bulletin", {})
        if nc.get("wall_s") is None or nb.get("wall_s") is None:
            continue
        landing = sum(v for k, v in nc.get("steps", {}).items() if k.startswith("land_"))
        dbt = nb.get("steps", {}).get("planwatch_dbt_models")
        out.append(
            f"- N={n}: the no-change rerun ({fmt_s(nc['wall_s'])}) spends {fmt_s(nc.get('outside_run_s'))} outside "
            f"the Dagster run"
            + (f" and {fmt_s(landing)} re-hashing and re-checking the inbox and catalog" if nc.get("steps") else "")
            + f"; the one-new-bulletin rerun ({fmt_s(nb['wall_s'])}) spends {fmt_s(dbt)} in the dbt step "
            f"(the full build's: {fmt_s(r.get('full', {}).get('steps', {}).get('planwatch_dbt_models'))})."
        )
    return out + results.get("static_findings", [])


def parse_sizes(text: str | None) -> list[int]:
    return [int(s) for s in (text or "").split(",") if s.strip()]


def dashboard_sizes(sizes: list[int], asked: str | None, off: bool) -> list[int]:
    """Sizes measured in Superset: none with --no-dashboards; 'all'; a list; default the issue's N = 1 and 3,000
    among the sizes run (else the smallest)."""
    if off:
        return []
    if asked == "all":
        return sizes
    if asked:
        return [n for n in parse_sizes(asked) if n in sizes]
    chosen = [n for n in (1, 3000) if n in sizes]
    return chosen or sizes[:1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,3000,10000", help="comma-separated numbers of synthetic regions")
    parser.add_argument("--seed", type=int, default=7)
    # 20, as bench_dashboards.py: of 5 requests the "p95" is 0.8 of the way to the slowest one, a single outlier
    parser.add_argument("--repeat", type=int, default=20, help="requests per chart and size (dashboards)")
    parser.add_argument(
        "--dashboard-sizes",
        default=None,
        help="sizes measured in Superset: a list, or 'all' (default: 1 and 3000 among --sizes, else the smallest)",
    )
    parser.add_argument("--no-dashboards", "--no-superset", action="store_true", help="no Superset measurement")
    parser.add_argument("--extract-n", type=int, default=1000, help="documents for bench_extract.py (0: skip)")
    parser.add_argument("--timeout-min", type=float, default=180, help="stop any one build after this many minutes")
    parser.add_argument(
        "--max-rss-gb",
        type=float,
        default=None,
        help="stop a build whose process tree passes this much RSS (default 85%% of the machine's memory)",
    )
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--scaling", type=Path, default=SCALING, help="SCALING.md whose figures block is rewritten")
    args = parser.parse_args(argv)
    sizes = sorted(set(parse_sizes(args.sizes)))
    if not sizes:
        parser.error("--sizes: no size given")
    in_superset = dashboard_sizes(sizes, args.dashboard_sizes, args.no_dashboards)
    limits = {
        "timeout_s": args.timeout_min * 60,
        "max_rss_mb": (args.max_rss_gb or 0.85 * psutil.virtual_memory().total / 2**30) * 1024,
    }
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "sizes": {}, "argv": " ".join(argv if argv is not None else sys.argv[1:])}
    log(
        f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['memory_gb']} GB, load {results['machine']['load']}; sizes {sizes}, dashboards at "
        f"{in_superset or 'none'}; a build is stopped past {args.timeout_min:.0f} min or "
        f"{limits['max_rss_mb'] / 1024:.1f} GB"
    )

    log(f"[corpus] synthetic inputs of {max(sizes):,} regions (cached in {synth.corpus_dir(args.seed)})")
    t0 = time.perf_counter()
    synth.ensure_corpus(max(sizes), args.seed, progress=log)
    results["corpus"] = {"s": round(time.perf_counter() - t0, 1)}
    results["corpus"]["note"] = f"{results['corpus']['s']} s for {max(sizes):,} regions in this run (0 when cached)"

    def save() -> None:
        results["total_s"] = time.perf_counter() - started
        results["findings"] = findings(results)
        (OUT / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
        existing = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
        args.results.write_text(with_other_sections(render(results), existing), encoding="utf-8")

    for i, n in enumerate(sizes, 1):
        size_started = time.perf_counter()
        phase = lambda k, what, i=i, n=n: log(f"[N={n:,} size {i}/{len(sizes)} phase {k}/6] {what}")  # noqa: E731
        phase(1, f"installing {n:,} synthetic regions in bench/out/scale-{n}")
        t0 = time.perf_counter()
        inst = synth.install(n, OUT / f"scale-{n}", args.seed, progress=log)
        r: dict = {"catalog_entries": 60 * n + 59, "install_s": round(time.perf_counter() - t0, 1)}
        results["sizes"][n] = r
        log(f"  installed in {r['install_s']} s")
        phase(2, "full build from an empty warehouse (`planwatch build --quiet`)")
        r["full"] = pipeline(inst, "full", limits)
        r["dbt_full"] = dbt_facts(inst)
        full = r["full"]
        log(f"  full build {fmt_s(full['wall_s'])}, peak RSS {full['peak_tree_rss_mb']} MB, rc {full['rc']}")
        save()
        phase(3, "raw-DuckDB floor: the SQL of that build in one DuckDB process")
        if r["full"]["rc"] == 0:
            raw_json = OUT / "runs" / f"scale-{n}-raw.json"
            raw_json.unlink(missing_ok=True)
            raw = measured(
                [PY, str(HERE / "raw_floor.py"), str(inst.warehouse), "--json", str(raw_json)]
                + (["--target", str(dbt_target(inst))] if dbt_target(inst) else []),
                clean_env(),
                OUT / "runs" / f"scale-{n}-raw.log",
                label=f"N={n} raw floor",
                **limits,
            )
            r["raw"] = raw | (json.loads(raw_json.read_text()) if raw_json.exists() else {})
            log(f"  raw floor {fmt_s(r['raw'].get('raw_models_s'))} + {fmt_s(r['raw'].get('raw_tests_s'))}")
            log("  readers' floor: the catalog and every inbox file through the readers alone (bench/parse_floor.py)")
            parse_json = OUT / "runs" / f"scale-{n}-parse.json"
            parse_json.unlink(missing_ok=True)
            parsed = measured(
                [PY, str(HERE / "parse_floor.py"), str(inst.root), "--json", str(parse_json)],
                clean_env(),
                OUT / "runs" / f"scale-{n}-parse.log",
                label=f"N={n} readers' floor",
                **limits,
            )
            r["parse"] = parsed | (json.loads(parse_json.read_text()) if parse_json.exists() else {})
            log(f"  readers' floor {fmt_s(r['parse'].get('readers_s'))}")
            r["catalog_entries"] = r["parse"].get("catalog_entries", r["catalog_entries"])  # counted, not estimated
        else:
            log("  skipped: the full build failed")
        if r["full"]["rc"] != 0:  # a rerun would be a second full build from scratch: not what is measured
            log(
                f"  N={n:,}: the full build failed ({r['full'].get('killed') or 'rc ' + str(r['full']['rc'])}); "
                "no reruns at this size"
            )
            r["facts"] = warehouse_facts(inst)
            save()
            continue
        phase(4, "no-change rerun")
        r["nochange"] = pipeline(inst, "nochange", limits)
        log(f"  no-change rerun {fmt_s(r['nochange']['wall_s'])}, published: {r['nochange'].get('published')}")
        phase(5, "one-new-bulletin rerun")
        inst.add_held_back_bulletin()
        r["new_bulletin"] = pipeline(inst, "new_bulletin", limits)
        log(
            f"  one-new-bulletin rerun {fmt_s(r['new_bulletin']['wall_s'])}, published: "
            f"{r['new_bulletin'].get('published')}"
        )
        phase(6, "sizes: served file, marts' own size, landed files")
        r["facts"] = warehouse_facts(inst)
        f = r["facts"]
        log(
            f"  served {f.get('served_mb')} MB, marts' own {f.get('marts_own_mb')} MB, landed {f.get('landing_mb')} MB;"
            f" N={n:,} done in {(time.perf_counter() - size_started) / 60:.1f} min"
        )
        save()

    if args.extract_n:
        log(f"[extract] bulletin extraction: {args.extract_n} documents")
        results["extract"] = extract_bench(args.extract_n)
        log(f"  {results['extract'].get('docs_per_s')} documents/s")
        save()
    if in_superset:
        log(f"[dashboards] Superset at N = {', '.join(map(str, in_superset))}")
        results["superset"] = superset_bench([n for n in in_superset if n in results["sizes"]], args.repeat)
        results["superset"]["version"] = results["machine"]["versions"].get("apache-superset")
    else:
        results["superset"] = {"skipped": "--no-dashboards"}
    save()
    if update_scaling(results, args.scaling):
        log(f"rewrote the figures block of {args.scaling}")
    log(f"done in {(time.perf_counter() - started) / 60:.1f} min; wrote {args.results}")
    print(args.results.read_text(encoding="utf-8"))
    return 0 if all(r.get(k, {}).get("rc") == 0 for r in results["sizes"].values() for k in RUNS) else 1


if __name__ == "__main__":
    sys.exit(main())
