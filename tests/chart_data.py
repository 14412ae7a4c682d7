"""Every chart's data, straight on the served DuckDB: the query Superset runs for a chart of the bundle (its
query_context: columns, metrics, WHERE, ORDER BY, row limit, on its dataset — virtual SQL or a physical table),
written as DuckDB SQL. Used to snapshot the dashboards' figures (tests/fixtures/chart_data_snapshot.json) and to
prove that a change of the dashboard layer keeps them (tests/test_chart_data_snapshot.py).

    uv run python tests/chart_data.py WAREHOUSE.duckdb > tests/fixtures/chart_data_snapshot.json
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sys
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "superset_config" / "bundle"

# Values that change with every build or with the clock, not with the data: compared as present/absent only.
VOLATILE = {"built_at", "built_at_text", "run_id", "hours_since_build", "hours_since_build_max", "processed_at",
            "quarantined_at"}
TIME_GRAINS = {"P1Y": "year", "P1M": "month", "P1D": "day"}


def _datasets(bundle: Path) -> dict[str, dict]:
    return {d["uuid"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                   for p in sorted((bundle / "datasets").rglob("*.yaml")))}


def _source(ds: dict) -> str:
    if ds.get("sql"):
        return f"({ds['sql']}) AS virtual_table"
    return f"{ds['schema']}.{ds['table_name']}"


def _column(c: str | dict) -> tuple[str, str]:
    """(SQL expression, output name) of a query column."""
    if isinstance(c, str):
        return f'"{c}"', c
    expr = c["sqlExpression"]
    if c.get("timeGrain"):
        expr = f"date_trunc('{TIME_GRAINS[c['timeGrain']]}', {expr})"
    return expr, c["label"]


def chart_sql(chart: dict, ds: dict, selection: str | None = None) -> tuple[str, list[str]]:
    """The chart's query; `selection` is a WHERE condition a dashboard filter adds (e.g. the plan selector's choice)."""
    query = json.loads(chart["query_context"])["queries"][0]
    metric_expr = {m["metric_name"]: m["expression"] for m in ds.get("metrics") or []}
    cols = [_column(c) for c in query.get("columns", [])]
    metrics = query.get("metrics") or []
    select = [f"{e} AS \"{n}\"" for e, n in cols] + [f"{metric_expr[m]} AS \"{m}\"" for m in metrics]
    sql = f"SELECT {', '.join(select)} FROM {_source(ds)}"
    where = " AND ".join(w for w in ((query.get("extras") or {}).get("where"), selection) if w)
    if where:
        sql += f" WHERE {where}"
    if metrics and cols:
        sql += " GROUP BY " + ", ".join(e for e, _ in cols)
    order = [f'"{c}" {"ASC" if asc else "DESC"}' for c, asc in query.get("orderby") or []]
    # ties broken by every output column, so a row limit keeps the same rows on every run
    order += [f'"{n}" ASC NULLS FIRST' for _, n in cols] + [f'"{m}" ASC NULLS FIRST' for m in metrics]
    sql += " ORDER BY " + ", ".join(order)
    sql += f" LIMIT {int(query.get('row_limit') or 10000)}"
    return sql, [n for _, n in cols] + list(metrics)


def _plain(name: str, value: object) -> object:
    if value is None:
        return None
    if name in VOLATILE:
        return "<volatile>"
    if isinstance(value, (float, decimal.Decimal)):
        return round(float(value), 6)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def chart_data(warehouse: Path, bundle: Path = BUNDLE, selections: dict[str, str] | None = None) -> dict[str, dict]:
    """{chart key: {"title", "columns", "rows" (sorted, so ties in ORDER BY do not matter)}} for every chart;
    `selections` ({dataset name: condition}) adds a dashboard filter's choice to every chart on that dataset."""
    datasets = _datasets(bundle)
    out: dict[str, dict] = {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for path in sorted((bundle / "charts").glob("*.yaml")):
            chart = yaml.safe_load(path.read_text(encoding="utf-8"))
            ds = datasets[chart["dataset_uuid"]]
            sql, names = chart_sql(chart, ds, (selections or {}).get(ds["table_name"]))
            rows = [[_plain(n, v) for n, v in zip(names, row, strict=True)] for row in con.execute(sql).fetchall()]
            out[path.stem] = {"title": chart["slice_name"], "columns": names,
                              "rows": sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False))}
    finally:
        con.close()
    return out


if __name__ == "__main__":
    json.dump(chart_data(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
