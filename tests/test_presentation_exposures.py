"""The dashboards are dbt exposures: each one's depends_on lists exactly the presentation models its charts read,
and every presentation model is read by a dashboard (YAML of dbt and of the bundle; no build needed)."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "superset_config" / "bundle"
PRESENTATION = REPO / "dbt_project" / "models" / "presentation"


def _bundle_reads() -> dict[str, set[str]]:
    datasets = {}
    for path in (BUNDLE / "datasets").rglob("*.yaml"):
        ds = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert ds["schema"] == "presentation" and not ds["sql"], f"{ds['table_name']}: not a physical dataset"
        datasets[ds["uuid"]] = ds["table_name"]
    charts = {}
    for path in (BUNDLE / "charts").glob("*.yaml"):
        chart = yaml.safe_load(path.read_text(encoding="utf-8"))
        charts[chart["uuid"]] = datasets[chart["dataset_uuid"]]
    reads = {}
    for path in (BUNDLE / "dashboards").glob("*.yaml"):
        dash = yaml.safe_load(path.read_text(encoding="utf-8"))
        nodes = dash["position"].values()
        reads[dash["slug"].replace("-", "_")] = {charts[n["meta"]["uuid"]] for n in nodes
                                                 if isinstance(n, dict) and n.get("type") == "CHART"}
    return reads


def test_each_dashboard_is_an_exposure_on_the_models_it_reads():
    exposures = yaml.safe_load((PRESENTATION / "_exposures.yml").read_text(encoding="utf-8"))["exposures"]
    declared = {e["name"]: {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in e["depends_on"]} for e in exposures}
    assert declared == _bundle_reads()


def test_every_presentation_model_is_read_by_a_dashboard():
    models = {p.stem for p in PRESENTATION.glob("*.sql")}
    assert models == set().union(*_bundle_reads().values())
