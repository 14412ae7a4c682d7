"""Dashboard query latency: every chart of the five dashboards, through Superset's chart data endpoint and
straight on DuckDB with the very SQL Superset generates.

    uv run python bench/bench_dashboards.py [--url http://127.0.0.1:8088] [--repeat 20]

Needs a running Superset (`planwatch superset`), the admin credentials (PLANWATCH_ADMIN_USER/PASSWORD or the
generated $PLANWATCH_LOCAL/superset/admin_credentials.txt) and the served warehouse file. For each chart:
- superset: GET /api/v1/chart/{id}/data/?force=true (cache bypassed: query + HTTP + JSON serialisation);
- duckdb_fresh: connect read-only with the same hardening settings, run the SQL, fetch, close (what Superset's
  NullPool does per query);
- duckdb_open: the same SQL on one open connection (raw engine cost);
- gate: superset_config/sql_gate.check on that SQL, the statement allow-list every query passes in Superset
  and `planwatch sql` (parse + walk of DuckDB's parse tree, in-process).
Prints p50/p95 in milliseconds per chart and writes bench/out/dashboards.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import requests

from superset_config import sql_gate

REPO = Path(__file__).resolve().parent.parent
DASHBOARDS = ("cockpit", "theme", "indicator", "plan-completion", "data-quality", "peers")
DUCKDB_CONFIG = sql_gate.CONNECTION_CONFIG  # the connection Superset and `planwatch sql` use


def credentials() -> tuple[str, str]:
    user, password = os.environ.get("PLANWATCH_ADMIN_USER"), os.environ.get("PLANWATCH_ADMIN_PASSWORD")
    if user and password:
        return user, password
    local = Path(os.environ.get("PLANWATCH_LOCAL") or REPO / ".local")
    stored = {}
    cred_file = local / "superset" / "admin_credentials.txt"
    if not cred_file.is_file():
        sys.exit(f"no admin credentials: set PLANWATCH_ADMIN_USER/PASSWORD or bootstrap ({cred_file})")
    for line in cred_file.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            stored[key.strip()] = value.strip()
    return stored["user"], stored["password"]


def warehouse_db() -> Path:
    warehouse = os.environ.get("PLANWATCH_WAREHOUSE")
    return (Path(warehouse) if warehouse else REPO / "warehouse") / "serving" / "planwatch.duckdb"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "dashboards.json")
    args = parser.parse_args()

    user, password = credentials()
    s = requests.Session()
    r = s.post(f"{args.url}/api/v1/security/login", timeout=30,
               json={"username": user, "password": password, "provider": "db", "refresh": False})
    if r.status_code != 200:
        sys.exit(f"login to {args.url} failed: {r.status_code} {r.text[:200]}")
    s.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    dashboards = {d["slug"]: d for d in s.get(f"{args.url}/api/v1/dashboard/", timeout=30,
                                               params={"q": json.dumps({"page_size": 100})}).json()["result"]}
    db_file = warehouse_db()
    if not db_file.is_file():
        sys.exit(f"warehouse {db_file} not found (set PLANWATCH_WAREHOUSE)")
    open_con = duckdb.connect(str(db_file), read_only=True, config=DUCKDB_CONFIG)

    rows = []
    for slug in DASHBOARDS:
        if slug not in dashboards:
            print(f"warning: dashboard {slug} missing", file=sys.stderr)
            continue
        charts = s.get(f"{args.url}/api/v1/dashboard/{dashboards[slug]['id']}/charts", timeout=30).json()["result"]
        for chart in charts:
            cid = chart["id"]
            q = s.get(f"{args.url}/api/v1/chart/{cid}/data/", params={"type": "query"}, timeout=60)
            sql = q.json()["result"][0]["query"]
            t_superset, t_fresh, t_open, t_gate = [], [], [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                resp = s.get(f"{args.url}/api/v1/chart/{cid}/data/", params={"force": "true"}, timeout=60)
                t_superset.append((time.perf_counter() - t0) * 1000)
                if resp.status_code != 200:
                    sys.exit(f"chart {cid} answered {resp.status_code}: {resp.text[:200]}")
                t0 = time.perf_counter()
                con = duckdb.connect(str(db_file), read_only=True, config=DUCKDB_CONFIG)
                n = len(con.execute(sql).fetchall())
                con.close()
                t_fresh.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                open_con.execute(sql).fetchall()
                t_open.append((time.perf_counter() - t0) * 1000)
                t_gate.append(sql_gate.check_timed(sql))
            rows.append({
                "dashboard": slug, "chart_id": cid, "chart": chart["slice_name"], "rows": n,
                "superset_p50_ms": pct(t_superset, 50), "superset_p95_ms": pct(t_superset, 95),
                "duckdb_fresh_p50_ms": pct(t_fresh, 50), "duckdb_fresh_p95_ms": pct(t_fresh, 95),
                "duckdb_open_p50_ms": pct(t_open, 50), "duckdb_open_p95_ms": pct(t_open, 95),
                "gate_p50_ms": pct(t_gate, 50), "gate_p95_ms": pct(t_gate, 95),
            })
    open_con.close()

    print(f"{'dashboard':<18} {'chart':<34} {'rows':>5}  {'superset p50/p95':>17}  "
          f"{'duckdb fresh p50/p95':>21}  {'duckdb open p50/p95':>20}  {'gate p50/p95':>13}")
    for row in rows:
        name = row["chart"][:17]
        print(f"{row['dashboard']:<18} {name:<{34 - sum(1 for c in name if ord(c) > 0x2e80)}} {row['rows']:>5}  "
              f"{row['superset_p50_ms']:>7.1f} / {row['superset_p95_ms']:>7.1f}  "
              f"{row['duckdb_fresh_p50_ms']:>9.1f} / {row['duckdb_fresh_p95_ms']:>9.1f}  "
              f"{row['duckdb_open_p50_ms']:>8.2f} / {row['duckdb_open_p95_ms']:>8.2f}  "
              f"{row['gate_p50_ms']:>5.2f} / {row['gate_p95_ms']:>5.2f}")
    for slug in DASHBOARDS:
        mine = [r for r in rows if r["dashboard"] == slug]
        if mine:
            print(f"{slug}: {len(mine)} charts, worst superset p95 {max(r['superset_p95_ms'] for r in mine):.0f} ms,"
                  f" worst duckdb fresh p95 {max(r['duckdb_fresh_p95_ms'] for r in mine):.1f} ms")
    if rows:
        gate_p50 = statistics.median(r["gate_p50_ms"] for r in rows)
        print(f"sql gate per query: median of the charts' p50 {gate_p50:.2f} ms, worst p95 "
              f"{max(r['gate_p95_ms'] for r in rows):.2f} ms ({len(rows)} charts)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"url": args.url, "repeat": args.repeat, "warehouse": str(db_file),
                                    "charts": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
