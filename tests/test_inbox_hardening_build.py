"""Issue 16 end to end: a real `planwatch build` on an inbox full of hostile and careless files publishes
everything else, keeps every impossible number out of the served warehouse and shows why on 数据质量
(fct_quarantine, fct_input_file); an outline edited in place so that it drifts from the catalog stops the publish
(rc 1) and the served file stays byte-identical."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_repo, pipeline_env, run_planwatch
from tests.test_inbox_hardening import BULLETIN, PUB_HEADER, SUB_HEADER, URL, _edited_outline, _zip_bomb_docx

pytestmark = pytest.mark.slow


def _hostile_inbox(repo: Path, outside: Path) -> None:
    inbox = repo / "inbox"
    bulletins, published, submissions, plans = (inbox / k for k in ("bulletins", "published", "submissions", "plans"))
    (bulletins / "2024年黔江区统计公报.txt").write_text(BULLETIN.format(year=2024), encoding="utf-8")
    (bulletins / "2030年黔江区统计公报.txt").write_text(BULLETIN.format(year=2030), encoding="utf-8")
    _zip_bomb_docx(bulletins / "2023年黔江区统计公报.docx", xml_mb=110)
    with (bulletins / "2022年黔江区统计公报.txt").open("wb") as handle:
        handle.truncate(200 * (1 << 20))
    (published / "bad_figures.csv").write_text(
        PUB_HEADER
        + "".join(
            f"500114,2023,{name},{value},{unit},reported,,bulletin,{url}\n"
            for name, value, unit, url in (
                ("地区生产总值", "NaN", "亿元", URL),
                ("地区生产总值增速", "inf", "%", URL),
                ("人均地区生产总值", "-inf", "元", URL),
                ("第一产业增加值", "1e308", "亿元", URL),
                ("第二产业增加值", "150", "亿元", "https://"),
            )
        )
        + "500114,2023,地区生产总值\n"
        + f"500114,2023,地区生产总值,1,亿元,reported,{'x' * 131_073},bulletin,{URL}\n",
        encoding="utf-8",
    )
    (submissions / "dept.csv").write_text(
        SUB_HEADER
        + '500114,qianjiang-14th-13,年限,2022,"1,5",年,局,\n'
        + "500114,qianjiang-14th-13,年限,inf,11.8,年,局,\n"
        + "500114,qianjiang-14th-13,年限,2022.9,11.8,年,局,\n"
        + "500114,qianjiang-14th-14,寿命,2022,76.4,年,区卫生健康委,\n",
        encoding="utf-8",
    )
    outline = plans / "qianjiang_14th_fyp_outline.txt"
    shutil.copy(outline, plans / "副本_outline.txt")
    (plans / "zz_edited_outline.txt").write_text(_edited_outline("\t7△\n", "\t6△\n"), encoding="utf-8")
    (plans / "dup_rows.txt").write_text(_edited_outline("\t2\n", "\t1\n"), encoding="utf-8")
    (outside / "elsewhere.csv").write_text(PUB_HEADER, encoding="utf-8")
    (published / "link.csv").symlink_to(outside / "elsewhere.csv")
    (published / ".hidden.csv").write_text(PUB_HEADER, encoding="utf-8")


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("repo_hostile"))
    _hostile_inbox(repo, tmp_path_factory.mktemp("outside"))
    result = run_planwatch(repo, "build", "--quiet", env=pipeline_env(repo))
    assert result.returncode == 0, result.stderr[-3000:]
    return repo


def test_everything_else_is_published_and_nothing_impossible_is_current(built):
    connection = duckdb.connect(str(built / "warehouse" / "serving" / "planwatch.duckdb"), read_only=True)
    try:
        files = {r["file_name"]: r for r in _rows(connection, "select * from marts.fct_input_file")}
        status = {name: r["status"] for name, r in files.items()}
        assert status["qianjiang_14th_fyp_outline.txt"] == "loaded"
        assert status["副本_outline.txt"] == "skipped"
        assert status["zz_edited_outline.txt"] == "conflict"
        assert "qianjiang_14th_fyp_outline.txt" in files["zz_edited_outline.txt"]["reason"]
        hostile = ("dup_rows.txt", "2030年黔江区统计公报.txt", "2023年黔江区统计公报.docx", "2022年黔江区统计公报.txt")
        for name in hostile:
            assert status[name] == "quarantined", name
        assert status["link.csv"] == status[".hidden.csv"] == "skipped"
        assert status["bad_figures.csv"] == status["dept.csv"] == status["2024年黔江区统计公报.txt"] == "loaded"

        quarantine = _rows(connection, "select * from marts.fct_quarantine")
        rows = [q for q in quarantine if q["level"] == "row"]
        assert sum(q["file_name"] == "bad_figures.csv" for q in rows) == 7
        assert sum(q["file_name"] == "dept.csv" for q in rows) == 3
        bulletin = [q for q in rows if q["file_name"] == "2024年黔江区统计公报.txt"]
        assert len(bulletin) == 4 and all(q["reason"].startswith("implausible: ") for q in bulletin)
        assert all(q["reason"] and q["place"] for q in quarantine)

        impossible = connection.execute(
            "select count(*) from marts.fct_bulletin_figure where not isfinite(value) or year > 2026 "
            "or (metric_key = 'urbanization_rate' and value > 100) or (metric_key = 'air_quality_good_days' "
            "and value > 366) or (metric_key in ('forest_coverage', 'population_resident') and value < 0)"
        ).fetchone()[0]
        assert impossible == 0
        assert (
            connection.execute(
                "select count(*) from marts.fct_indicator_actual where value is not null and not isfinite(value)"
            ).fetchone()[0]
            == 0
        )
        assert connection.execute("select newest_bulletin_year from marts.meta_build").fetchone()[0] == 2024
        # the one good submission row landed; the plan served is the original
        assert (
            connection.execute(
                "select count(*) from marts.fct_indicator_actual "
                "where indicator_id = 'qianjiang-14th-14' and year = 2022"
            ).fetchone()[0]
            == 1
        )
        target = connection.execute(
            "select target_text from marts.dim_indicator where indicator_id = 'qianjiang-14th-01'"
        ).fetchone()[0]
        assert target == "7△"
    finally:
        connection.close()


def test_an_outline_edited_in_place_stops_the_publish(built):
    served = built / "warehouse" / "serving" / "planwatch.duckdb"
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    plans = built / "inbox" / "plans"
    for name in ("zz_edited_outline.txt", "副本_outline.txt"):
        (plans / name).unlink()
    edited = _edited_outline("\t7△\n", "\t9999999△\n")
    (plans / "qianjiang_14th_fyp_outline.txt").write_text(edited, encoding="utf-8")
    result = run_planwatch(built, "build", "--quiet", env=pipeline_env(built))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "catalog_drift_check" in result.stderr
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before
