"""`make bench`: how the pipeline's cost grows with the number of regions, against raw DuckDB doing the same SQL.

    uv run python bench/run_all.py [--sizes 1,100,3000] [--repeat 5] [--no-superset] [--results bench/RESULTS.md]

For each size N (SYNTHETIC regions made by bench/synth.py, plus the real Qianjiang inputs), in its own installation
bench/out/scale-N/ (inbox/, catalog/, warehouse/; never the real ones):
  1. full build: the nightly job in a fresh process (bench/pipeline_run.py: land → dbt build → checks → publish),
     wall time and peak memory (RSS summed over the process tree: Python, dbt; sampled every 0.1 s);
  2. raw floor: the SQL dbt ran (bench/raw_floor.py), executed by DuckDB in one process; the ratio of the two;
  3. no-change rerun; 4. one-new-bulletin rerun (the 2025 bulletin of region 1, held back until now).
Then bulletin extraction throughput (bench/bench_extract.py) and dashboard latency (bench/bench_dashboards.py)
against a Superset bootstrapped into bench/out/superset-local/ and serving bench/out/superset-wh/ (the served file
of each measured size is swapped in, as the nightly publish does). Writes bench/RESULTS.md and bench/out/results.json.
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
import time
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


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- measuring a process ---------------------------------------------------------------------------------------


def measured(cmd: list[str], env: dict[str, str], log_file: Path, timeout_s: float = 3600) -> dict:
    """Run cmd; wall time and peak RSS of its process tree (sum over processes, and the largest one)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("w") as handle:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
        root = psutil.Process(proc.pid)
        peak_tree = peak_one = 0
        while proc.poll() is None:
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                peak_one = max(peak_one, rss)
            peak_tree = max(peak_tree, total)
            if time.perf_counter() - started > timeout_s:
                proc.kill()
            time.sleep(0.1)
        wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "rc": proc.returncode,
        "peak_tree_rss_mb": round(peak_tree / 2**20),
        "peak_process_rss_mb": round(peak_one / 2**20),
        "log": str(log_file.relative_to(REPO)),
    }


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DAGSTER_", "SUPERSET_"))}
    env.pop("PYTHONPATH", None)
    env.update(extra or {})
    return env


def pipeline(inst: synth.Installation, label: str) -> dict:
    report = OUT / "runs" / f"scale-{inst.n}-{label}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    result = measured(
        [PY, str(HERE / "pipeline_run.py"), str(report)],
        clean_env(inst.env()),
        OUT / "runs" / f"scale-{inst.n}-{label}.log",
    )
    if report.exists():
        result.update(json.loads(report.read_text()))
    if result["rc"] != 0:
        log(f"  {label}: FAILED (rc {result['rc']}), see {result['log']}: {result.get('step_failures')}")
    return result


# --- facts about a built warehouse --------------------------------------------------------------------------------


def warehouse_facts(inst: synth.Installation) -> dict:
    served = inst.warehouse / "serving" / "planwatch.duckdb"
    landing = inst.warehouse / "landing"
    facts: dict = {
        "served_mb": round(served.stat().st_size / 1e6, 1) if served.exists() else None,
        "landing_files": sum(1 for _ in landing.glob("*/*.parquet")),
        "landing_mb": round(sum(p.stat().st_size for p in landing.glob("*/*.parquet")) / 1e6, 1),
        "inbox_files": {
            k: sum(1 for p in (inst.inbox / k).iterdir()) for k in ("plans", "bulletins", "submissions", "published")
        },
    }
    if not served.exists():
        return facts
    con = duckdb.connect(str(served), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        for table in (
            "dim_plan",
            "dim_indicator",
            "fct_indicator_actual",
            "fct_indicator_progress",
            "fct_bulletin_figure",
            "rpt_coverage",
        ):
            facts[f"rows_{table}"] = q(f"select count(*) from marts.{table}")[0][0]
        facts["synthetic_coverage"] = q(
            "select round(avg(has_actual::int), 4) from marts.rpt_coverage "
            "where plan_id like 'synth-%' and year > 2020 and is_headline"
        )[0][0]
        facts["synthetic_status_2024"] = dict(
            q(
                "select status, count(*) from marts.fct_indicator_progress where plan_id like 'synth-%' "
                "and year = 2024 and is_headline group by 1 order by 2 desc"
            )
        )
    finally:
        con.close()
    target = inst.warehouse / "dbt_target" / "run_results.json"
    if target.exists():
        results = json.loads(target.read_text())
        facts["dbt_elapsed_s"] = round(results["elapsed_time"], 2)
        facts["dbt_slowest"] = [
            (r["unique_id"].split(".", 2)[-1], round(r["execution_time"], 2))
            for r in sorted(results["results"], key=lambda r: -r["execution_time"])[:6]
        ]
    return facts


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
    boot = measured([PY, "-m", "planwatch.cli", "superset", "bootstrap"], env, OUT / "runs" / "superset-bootstrap.log")
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
        for n in sizes:
            served = OUT / f"scale-{n}" / "warehouse" / "serving" / "planwatch.duckdb"
            if not served.exists():
                continue
            swap_in(served, warehouse)
            out = OUT / f"dashboards-{n}.json"
            run = measured(
                [PY, str(HERE / "bench_dashboards.py"), "--url", url, "--repeat", str(repeat), "--out", str(out)],
                env,
                OUT / "runs" / f"dashboards-{n}.log",
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


def render(results: dict) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `make bench` (bench/run_all.py) on {m['date']}, commit {m['commit']}, in "
        f"{results['total_s'] / 60:.1f} min. **All inputs are synthetic** (bench/synth.py: made-up regions "
        "`synth-NNNN`, codes 9xxxxx, every file marked 合成测试数据), plus the real Qianjiang outline and published "
        "figures, which the 13th-plan verdict test needs.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gb']} GB; {m['os']}; Python {m['python']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        "",
        "## Workload per size",
        "",
        "Each synthetic region: one plan (60 indicators of every kind: final-year ge/le/lt/gt/approx, average △, "
        "cumulative 【】 sum and compound, qualitative 达标, structure a:b:c, '－' baselines, '#' sub-rows, a chained "
        "constant-price series, two ratios), 5 bulletins (2021-2025, ~32 mapped figures each), one department "
        "submission (29 indicators × 5 years), one published-figures file (industry structure).",
        "",
        "| N regions | plans | bulletins | submissions | catalog entries | landing files | landed MB | served MB | "
        "indicators | actuals (all vintages) | progress rows | synthetic headline coverage |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sizes.items():
        f = r.get("facts", {})
        files = f.get("inbox_files", {})
        lines.append(
            f"| {n} | {files.get('plans', '–')} | {files.get('bulletins', '–')} | {files.get('submissions', '–')} | "
            f"{r.get('catalog_entries', '–')} | {f.get('landing_files', '–')} | {f.get('landing_mb', '–')} | "
            f"{f.get('served_mb', '–')} | {f.get('rows_dim_indicator', '–')} | "
            f"{f.get('rows_fct_indicator_actual', '–')} | {f.get('rows_fct_indicator_progress', '–')} | "
            f"{f.get('synthetic_coverage', '–')} |"
        )
    lines += [
        "",
        "(bulletins: after the one-new-bulletin rerun; the full build had one fewer.)",
        "",
        "## Pipeline against raw DuckDB",
        "",
        "Full build = a fresh process running the nightly Dagster job in-process (`planwatch build`'s job: land → "
        "dbt build → checks → publish), process start to exit. Raw floor = the SQL dbt ran (models' run SQL in "
        "dependency order, then the data tests), executed by DuckDB in one process (bench/raw_floor.py). "
        "Peak memory = RSS summed over the process tree (Dagster process + dbt subprocess), sampled every 0.1 s.",
        "",
        "| N | full build | peak RSS (tree / largest process) | dbt build (dbt's elapsed) | raw floor: models + tests "
        "| full ÷ raw | dbt ÷ raw | no-change rerun | one-new-bulletin rerun |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sizes.items():
        full, raw = r.get("full", {}), r.get("raw", {})
        raw_total = (raw.get("raw_models_s") or 0) + (raw.get("raw_tests_s") or 0) or None
        dbt = r.get("facts", {}).get("dbt_elapsed_s")
        lines.append(
            f"| {n} | {fmt_s(full.get('wall_s'))} | {full.get('peak_tree_rss_mb', '–')} MB / "
            f"{full.get('peak_process_rss_mb', '–')} MB | {fmt_s(dbt)} | "
            f"{fmt_s(raw.get('raw_models_s'))} + {fmt_s(raw.get('raw_tests_s'))} = {fmt_s(raw_total)} | "
            f"{ratio(full.get('wall_s'), raw_total)} | {ratio(dbt, raw_total)} | "
            f"{fmt_s(r.get('nochange', {}).get('wall_s'))} | {fmt_s(r.get('new_bulletin', {}).get('wall_s'))} |"
        )
    lines += [
        "",
        "Success of each run (rc 0, published): "
        + "; ".join(
            f"N={n}: "
            + ", ".join(
                f"{k} {'ok' if r.get(k, {}).get('rc') == 0 else 'FAILED'}"
                + (" (published)" if r.get(k, {}).get("published") else " (not published)")
                for k in ("full", "nochange", "new_bulletin")
            )
            for n, r in sizes.items()
        ),
    ]
    lines += [
        "",
        "### Where the time goes (seconds per Dagster step; process start-up and imports in the first row)",
        "",
        "| step | " + " | ".join(f"N={n} full | no-change | new bulletin" for n in sizes) + " |",
        "|---|" + "---:|" * (3 * len(sizes)),
    ]
    steps = list(STEP_NAMES)
    extra = sorted(
        {
            s
            for r in sizes.values()
            for k in ("full", "nochange", "new_bulletin")
            for s in r.get(k, {}).get("steps", {})
            if s not in STEP_NAMES
        }
    )
    rows = [("process start + imports", lambda run: run.get("wall_s", 0) - run.get("run_s", run.get("wall_s", 0)))]
    rows += [(STEP_NAMES.get(s, s), _step_getter(s)) for s in [*steps, *extra]]
    for name, get in rows:
        cells = []
        for r in sizes.values():
            for k in ("full", "nochange", "new_bulletin"):
                value = get(r.get(k, {})) if r.get(k) else None
                cells.append(f"{value:.1f}" if isinstance(value, int | float) else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Steps run one after another (the instance allows one writer); a skipped step shows –.", ""]
    lines += ["### Slowest dbt nodes (dbt's timing) and the same models on raw DuckDB", ""]
    for n, r in sizes.items():
        slow = r.get("facts", {}).get("dbt_slowest", [])
        raw_slow = r.get("raw", {}).get("slowest_models", [])
        lines.append(
            f"- N={n}: dbt "
            + ", ".join(f"{name} {t:.1f} s" for name, t in slow[:5])
            + "; raw "
            + ", ".join(f"{t['model']} {t['seconds']:.1f} s" for t in raw_slow[:4])
        )
    x = results.get("extract", {})
    lines += [
        "",
        "## Bulletin extraction throughput",
        "",
        f"- bench/bench_extract.py, {x.get('documents')} synthetic bulletins (text, GB18030 text, HTML), one process:"
        f" **{x.get('docs_per_s')} documents/s**, {x.get('mb_per_s')} MB/s, {x.get('figures_per_s')} figures/s; "
        f"planted headline figures recovered {x.get('planted')}; peak RSS {x.get('peak_process_rss_mb')} MB.",
    ]
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


def _step_getter(step: str):
    return lambda run: run.get("steps", {}).get(step)


def _dashboard_section(s: dict) -> list[str]:
    lines = ["", "## Dashboard query latency", ""]
    if not s or s.get("skipped") or s.get("error"):
        return [*lines, f"Not measured: {s.get('skipped') or s.get('error') or 'superset step not run'}."]
    lines += [
        f"Superset {s.get('version', '')} bootstrapped in {s.get('bootstrap_s')} s, healthy {s.get('start_s')} s "
        "after start (gunicorn, 2 gthread workers × 4 threads). For every chart of the five dashboards "
        "(bench/bench_dashboards.py): `superset` = GET /api/v1/chart/{id}/data/?force=true (cache bypassed: "
        "query + HTTP + JSON); `duckdb fresh` = the same SQL (as Superset generates it) on a new read-only "
        "connection with the bundle's hardening settings, as Superset's NullPool does; `duckdb open` = the same SQL "
        "on one open connection. The saved chart queries carry no dashboard filter, so at N > 1 they cover every "
        "plan (the province-wide view).",
        "",
        "| N | dashboard | charts | superset p50 (median over charts) | superset p95 (worst chart) | duckdb fresh "
        "p50 / worst p95 | duckdb open p50 / worst p95 |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, data in s.get("sizes", {}).items():
        if "charts" not in data:
            lines.append(f"| {n} | {data.get('error')} | | | | | |")
            continue
        for slug in ("cockpit", "theme", "indicator", "plan-completion", "data-quality"):
            charts = [c for c in data["charts"] if c["dashboard"] == slug]
            if not charts:
                continue
            med = lambda k, charts=charts: sorted(c[k] for c in charts)[len(charts) // 2]  # noqa: E731
            worst = lambda k, charts=charts: max(c[k] for c in charts)  # noqa: E731
            lines.append(
                f"| {n} | {slug} | {len(charts)} | {med('superset_p50_ms'):.0f} ms | "
                f"{worst('superset_p95_ms'):.0f} ms | {med('duckdb_fresh_p50_ms'):.1f} / "
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
        if nc.get("steps") and nb.get("steps"):
            out.append(
                f"- N={n}: the no-change rerun ({fmt_s(nc.get('wall_s'))}) spends "
                f"{fmt_s(sum(v for k, v in nc['steps'].items() if k.startswith('land_')))} re-hashing and "
                f"re-checking the inbox and catalog and stops before dbt; the one-new-bulletin rerun "
                f"({fmt_s(nb.get('wall_s'))}) parses one file but rebuilds every model "
                f"(dbt {fmt_s(nb['steps'].get('planwatch_dbt_models'))}): the build is not incremental."
            )
    return out + results.get("static_findings", [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,3000", help="comma-separated numbers of synthetic regions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="requests per chart and size (dashboards)")
    parser.add_argument(
        "--dashboard-sizes", default=None, help="sizes measured in Superset (default: smallest and largest)"
    )
    parser.add_argument("--extract-n", type=int, default=1000)
    parser.add_argument("--no-superset", action="store_true")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    dashboard_sizes = (
        [int(s) for s in args.dashboard_sizes.split(",")] if args.dashboard_sizes else sorted({min(sizes), max(sizes)})
    )
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "sizes": {}}
    log(
        f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['memory_gb']} GB"
    )

    t0 = time.perf_counter()
    synth.ensure_corpus(max(sizes), args.seed, progress=log)
    results["corpus_s"] = round(time.perf_counter() - t0, 1)

    def save() -> None:
        results["total_s"] = time.perf_counter() - started
        results["findings"] = findings(results)
        (OUT / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
        args.results.write_text(render(results), encoding="utf-8")

    for n in sizes:
        log(f"N={n}: installing {n} synthetic regions in bench/out/scale-{n}")
        inst = synth.install(n, OUT / f"scale-{n}", args.seed, progress=log)
        r: dict = {"catalog_entries": 60 * n + 59}
        results["sizes"][n] = r
        r["full"] = pipeline(inst, "full")
        log(f"  full build {fmt_s(r['full']['wall_s'])}, peak RSS {r['full']['peak_tree_rss_mb']} MB")
        raw_json = OUT / "runs" / f"scale-{n}-raw.json"
        raw = measured(
            [PY, str(HERE / "raw_floor.py"), str(inst.warehouse), "--json", str(raw_json)],
            clean_env(),
            OUT / "runs" / f"scale-{n}-raw.log",
        )
        r["raw"] = raw | (json.loads(raw_json.read_text()) if raw_json.exists() else {})
        log(f"  raw floor {fmt_s(r['raw'].get('raw_models_s'))} + {fmt_s(r['raw'].get('raw_tests_s'))}")
        r["nochange"] = pipeline(inst, "nochange")
        log(f"  no-change rerun {fmt_s(r['nochange']['wall_s'])}")
        inst.add_held_back_bulletin()
        r["new_bulletin"] = pipeline(inst, "new_bulletin")
        log(f"  one-new-bulletin rerun {fmt_s(r['new_bulletin']['wall_s'])}")
        r["facts"] = warehouse_facts(inst)
        save()

    log(f"bulletin extraction: {args.extract_n} documents")
    results["extract"] = extract_bench(args.extract_n)
    log(f"  {results['extract'].get('docs_per_s')} documents/s")
    save()
    if not args.no_superset:
        log(f"dashboards at N = {', '.join(map(str, dashboard_sizes))}")
        results["superset"] = superset_bench([n for n in dashboard_sizes if n in results["sizes"]], args.repeat)
        results["superset"]["version"] = results["machine"]["versions"].get("apache-superset")
    save()
    log(f"done in {(time.perf_counter() - started) / 60:.1f} min; wrote {args.results}")
    print(args.results.read_text(encoding="utf-8"))
    return (
        0
        if all(
            r.get(k, {}).get("rc") == 0 for r in results["sizes"].values() for k in ("full", "nochange", "new_bulletin")
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
