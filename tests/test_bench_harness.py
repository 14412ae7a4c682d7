"""The benchmark harness (bench/): synthetic installations up to N = 10,000, the marts' own size, the "Done when"
verdicts of issue 15 and the figures block of bench/SCALING.md. Fast: no pipeline run (`make bench` runs those)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import parse_floor  # noqa: E402
import pipeline_run  # noqa: E402
import run_all  # noqa: E402
import synth  # noqa: E402


def test_ten_thousand_regions_have_distinct_three_character_names_unknown_to_the_readers():
    names = [synth.Region(i).name_zh for i in range(1, 10_001)]
    assert len(set(names)) == 10_000
    assert all(len(name) == 3 and name.endswith("区") for name in names)
    catalog_text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "catalog").glob("*.yaml"))
    added = synth.NAME_CHARS[57:]  # the characters added for N > 3,249
    assert [c for c in added if c in catalog_text] == []
    assert synth.MAX_REGIONS >= 10_000


def test_an_installation_holds_real_files_the_whole_catalog_and_holds_one_bulletin_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(synth, "OUT", tmp_path / "out")  # the corpus cache of this test only
    inst = synth.install(2, tmp_path / "scale-2", progress=lambda _: None)
    bulletins = sorted(p.name for p in (inst.inbox / "bulletins").iterdir())
    assert len(bulletins) == 2 * 5 - 1 and "synth-0001_2025.txt" not in bulletins
    for path in inst.inbox.rglob("*"):
        assert not path.is_symlink(), f"{path}: the inbox does not follow links that leave it"
    text = (inst.inbox / "bulletins" / "synth-0002_2023.txt").read_text(encoding="utf-8")
    assert synth.LABEL in text and synth.Region(2).name_zh in text
    real = {p.name for p in (REPO / "catalog").iterdir() if p.is_file() and not p.name.startswith(".")}
    assert real <= {p.name for p in inst.catalog.iterdir()}
    assert "synth-0002-14th-" in (inst.catalog / "indicators.yaml").read_text(encoding="utf-8")
    inst.add_held_back_bulletin()
    assert (inst.inbox / "bulletins" / "synth-0001_2025.txt").is_file()
    # a second installation reuses the cached corpus: the same bytes
    again = synth.install(2, tmp_path / "scale-2b", progress=lambda _: None)
    plan = Path("plans") / "synth-0001.txt"
    assert (again.inbox / plan).read_bytes() == (inst.inbox / plan).read_bytes()


def test_the_marts_own_size_counts_the_marts_tables_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(run_all, "OUT", tmp_path)
    served = tmp_path / "served.duckdb"
    con = duckdb.connect(str(served))
    con.execute("create schema marts; create schema intermediate")
    con.execute("create table marts.fct_small as select range as id, 'x' || range as label from range(1000)")
    con.execute("create table intermediate.int_big as select range as id, random() as v from range(3000000)")
    con.execute("checkpoint")
    con.close()
    own = run_all.marts_own_size(served)
    assert own["tables"] == 1
    served_mb = served.stat().st_size / 1e6
    assert own["mb"] < served_mb / 5, (own, served_mb)
    both = run_all.marts_own_size(served, ("marts", "intermediate"))
    assert both["tables"] == 2 and both["mb"] > own["mb"]
    con = duckdb.connect(str(served), read_only=True)
    contents = run_all.served_contents(con)
    con.close()
    assert contents["schemas"]["marts"] == {"tables": 1, "rows": 1000}
    assert contents["schemas"]["intermediate"]["rows"] == 3_000_000


def _chart(p95: float) -> dict:
    times = {
        f"{engine}_{q}_ms": p95 / 2 for engine in ("superset", "duckdb_fresh", "duckdb_open") for q in ("p50", "p95")
    }
    warm = {"warm_p50_ms": p95 / 4, "warm_p95_ms": p95 / 2}  # from Superset's cache: faster than the cold request
    return times | warm | {"dashboard": "cockpit", "chart": "GDP", "rows": 3, "superset_p95_ms": p95}


def _results(new_bulletin_3000: float, chart_p95: float) -> dict:
    def size(full: float, nochange: float, new: float, peak: int, served: float, own: float) -> dict:
        run = lambda wall: {"wall_s": wall, "rc": 0, "peak_tree_rss_mb": peak}  # noqa: E731
        return {
            "full": run(full),
            "nochange": run(nochange),
            "new_bulletin": run(new),
            "raw": {"raw_models_s": full / 3, "raw_tests_s": 0.0},
            "facts": {"served_mb": served, "marts_own_mb": own, "landing_mb": 1.0, "build_mb": None},
        }

    return {
        "machine": {
            "date": "today",
            "commit": "abc",
            "cpu": "cpu",
            "cores": 2,
            "memory_gb": 23.5,
            "os": "Linux",
            "python": "3.11",
            "versions": {"duckdb": "2.0.1"},
        },
        "total_s": 60.0,
        "sizes": {1: size(7.0, 2.5, 7.5, 500, 5.0, 1.0), 3000: size(200.0, 3.0, new_bulletin_3000, 3000, 90.0, 10.0)},
        "superset": {"sizes": {1: {"repeat": 5, "charts": [_chart(chart_p95)]}, 3000: {"charts": []}}},
    }


def test_the_readers_floor_parses_every_file_of_an_installation_with_nothing_around_the_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(synth, "OUT", tmp_path / "out")
    inst = synth.install(2, tmp_path / "scale-2", progress=lambda _: None)
    before = sorted(p.relative_to(inst.root) for p in inst.root.rglob("*"))
    result = parse_floor.measure(inst.inbox, inst.catalog, workers=2, progress=lambda _: None)
    kinds = result["kinds"]
    assert kinds["bulletins"]["files"] == 2 * 5 - 1 and kinds["bulletins"]["refused"] == 0
    assert kinds["bulletins"]["records"] >= 30 * 9  # ~32 mapped figures per synthetic bulletin
    assert kinds["plans"]["files"] == 2 + 1  # two synthetic plans and the real Qianjiang outline
    assert kinds["plans"]["records"] > 2 * 60 and kinds["submissions"]["records"] > 0
    real = parse_floor.Paths(inbox=tmp_path / "none", warehouse=tmp_path / "none", catalog=REPO / "catalog")
    assert result["catalog_entries"] == 2 * 60 + len(parse_floor.LandingContext(real).catalog)
    assert result["readers_s"] == pytest.approx(result["catalog_s"] + sum(k["s"] for k in kinds.values()), abs=0.05)
    assert sorted(p.relative_to(inst.root) for p in inst.root.rglob("*")) == before  # nothing written there


def test_the_full_build_is_set_against_its_readers_and_its_sql():
    results = _results(new_bulletin_3000=25.0, chart_p95=100.0)
    parse = {"catalog_s": 20.0, "kinds": {k: {"s": 10.0} for k in ("plans", "bulletins", "submissions", "published")}}
    results["sizes"][3000]["parse"] = parse | {"readers_s": 60.0}
    results["sizes"][3000]["full"]["steps"] = {"land_catalog": 25.0, "land_bulletins": 70.0}
    figures = run_all.figures(results, 3000)
    assert figures["full_over_floors"] == pytest.approx(200.0 / (60.0 + 200.0 / 3))
    assert figures["floors_over_floor"] == pytest.approx((60.0 + 200.0 / 3) / (200.0 / 3))
    assert "would still be 1.9× that floor" in "\n".join(run_all.done_when(results))
    text = run_all.render(results)
    row = next(line for line in text.splitlines() if line.startswith("| 3000 | 25.0 s / 20.0 s (1.2×)"))
    assert "70.0 s / 10.0 s (7.0×)" in row and row.endswith("| 95.0 s / 60.0 s (1.6×) | 1.6× |")
    assert run_all.figures(results, 1)["full_over_floors"] is None  # no readers' floor at that size


def test_done_when_gives_each_target_its_verdict():
    lines = run_all.done_when(_results(new_bulletin_3000=25.0, chart_p95=310.0))
    table = {(line.split(" | ")[0][2:], line.split(" | ")[1]): line for line in lines if line.startswith("| ")}
    assert "**FAIL**" in table[("one new bulletin → published (process start to exit)", "3000")]
    assert "**PASS**" in table[("one new bulletin → published (process start to exit)", "1")]
    assert "**PASS**" in table[("no-change run", "1")]
    assert "**PASS**" in table[("full build", "3000")]  # 200 s ≤ 240 s
    assert "**FAIL**" in table[("full build ÷ raw-DuckDB floor", "3000")]  # 200 / 66.7 = 3.0×
    assert "**PASS**" in table[("served file ÷ marts' own size", "3000")]  # 9×
    assert "**FAIL**" in table[("every chart p95, cold (worst chart, force=true: cache bypassed)", "1")]  # 310 ms
    warm = "every chart p95, as a dashboard loads it (worst chart, Superset's cache allowed)"
    assert "**PASS**" in table[(warm, "1")]  # 155 ms
    assert "not measured" in table[(warm, "3000")]


def test_cost_per_region_is_the_slope_between_sizes():
    rows = run_all.cost_per_region(_results(new_bulletin_3000=25.0, chart_p95=100.0))
    assert rows[1]["full_s_marginal"] == pytest.approx((200.0 - 7.0) / 2999)
    assert rows[1]["full_s_per_region"] == pytest.approx(200.0 / 3000)
    assert rows[0]["full_s_marginal"] is None


def test_the_scaling_figures_block_is_rewritten_and_the_text_around_it_kept(tmp_path: Path):
    doc = tmp_path / "SCALING.md"
    doc.write_text(f"# head\n\n{run_all.FIGURES_BEGIN}\nold\n{run_all.FIGURES_END}\n\n## reading\n", encoding="utf-8")
    assert run_all.update_scaling(_results(25.0, 100.0), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# head\n\n") and text.endswith("\n\n## reading\n") and "old" not in text
    assert "| 3000 | 200 s |" in text and "bulletins an hour" in text
    assert not run_all.update_scaling(_results(25.0, 100.0), tmp_path / "missing.md")


def test_a_publish_is_seen_as_a_new_served_file(tmp_path: Path):
    served = tmp_path / "planwatch.duckdb"
    assert pipeline_run.served_state(served) is None
    served.write_bytes(b"old")
    before = pipeline_run.served_state(served)
    report = pipeline_run.summarise(3.0, 0, before, pipeline_run.served_state(served), {"dagster_run": False})
    assert report["published"] is False and report["outside_run_s"] == 3.0
    incoming = tmp_path / ".incoming"
    incoming.write_bytes(b"new")
    os.replace(incoming, served)
    report = pipeline_run.summarise(3.0, 0, before, pipeline_run.served_state(served), {"run_s": 2.5})
    assert report["published"] is True and report["outside_run_s"] == 0.5


def test_rewriting_results_keeps_the_sections_other_scripts_write():
    existing = "# Benchmark results\n\nold intro\n\n## Machine\n\nold\n\n## Real bulletins: precision\n\n| a |\n"
    rendered = "# Benchmark results\n\nnew intro\n\n## Machine\n\nnew\n"
    text = run_all.with_other_sections(rendered, existing)
    assert text == "# Benchmark results\n\nnew intro\n\n## Machine\n\nnew\n\n## Real bulletins: precision\n\n| a |\n"


def test_the_report_renders_every_section_from_a_run_with_a_failed_size():
    results = _results(new_bulletin_3000=25.0, chart_p95=100.0)
    results["sizes"][10000] = {"full": {"wall_s": 900.0, "rc": -15, "killed": "memory: process tree passed 20000 MB"}}
    text = run_all.render(results)
    for heading in ("## Done when", "## Pipeline against raw DuckDB", "## Sizes on disk and cost per region"):
        assert heading in text
    assert (
        "N=10000: full FAILED [stopped: memory: process tree passed 20000 MB] (not published), nochange not run" in text
    )
    assert "| 3000 | 200 s |" in text
    assert "| 1 | cockpit | 1 | 50 ms | 100 ms |" in text
