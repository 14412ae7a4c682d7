"""Publishing the contract file (orchestration/publish.py) on small DuckDB files written here: copied whole when it
holds only the contract, compacted table by table when it holds anything else or is mostly free space."""

from pathlib import Path

import duckdb
import pytest

from orchestration.publish import COMPACT_ABOVE_FREE_SHARE, ContractFile, publish


def _contract(path: Path, extra_sql: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path))
    try:
        connection.execute("create schema marts; create schema presentation")
        connection.execute("create table marts.dim_plan as select 'p' || i as plan_id, i as n from range(1000) t(i)")
        connection.execute("comment on table marts.dim_plan is '规划'")
        connection.execute('create view presentation.pw_plans as select plan_id from "planwatch".marts.dim_plan')
        if extra_sql:
            connection.execute(extra_sql)
    finally:
        connection.close()
    return path


def _served(path: Path) -> tuple[set[str], int, str | None]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        schemas = {
            s
            for (s,) in connection.execute(
                "select schema_name from duckdb_tables() "
                "union select schema_name from duckdb_views() where not internal"
            ).fetchall()
        }
        rows = connection.execute("select count(*) from presentation.pw_plans").fetchone()[0]
        comment = connection.execute("select comment from duckdb_tables() where table_name = 'dim_plan'").fetchone()[0]
        return schemas, rows, comment
    finally:
        connection.close()


def test_a_contract_only_file_is_published_by_copying_it(tmp_path):
    build = _contract(tmp_path / "build" / "planwatch.duckdb")
    served = tmp_path / "serving" / "planwatch.duckdb"
    served.parent.mkdir()
    result = publish(build, served)
    assert result.method == "file copy"
    assert served.read_bytes() == build.read_bytes()
    assert result.tables == {"dim_plan": 1000}
    assert _served(served) == ({"marts", "presentation"}, 1000, "规划")
    assert not (served.parent / ".publishing").exists()


def test_anything_outside_the_contract_is_left_out_by_a_compacted_copy(tmp_path):
    build = _contract(
        tmp_path / "build" / "planwatch.duckdb", "create schema scratch; create table scratch.notes as select 1 as x"
    )
    served = tmp_path / "serving" / "planwatch.duckdb"
    served.parent.mkdir()
    result = publish(build, served)
    assert result.method.startswith("compacted: the build file also holds scratch.notes")
    assert _served(served) == ({"marts", "presentation"}, 1000, "规划")


def test_a_file_mostly_of_replaced_tables_is_compacted(tmp_path):
    """dbt replaces a table by writing the new one and dropping the old: the freed blocks stay in the file."""
    build = _contract(
        tmp_path / "build" / "planwatch.duckdb",
        "create table marts.big as select i, md5(i::varchar) as m from range(2000000) t(i); checkpoint; "
        "drop table marts.big; checkpoint",
    )
    served = tmp_path / "serving" / "planwatch.duckdb"
    served.parent.mkdir()
    result = publish(build, served)
    assert result.method.startswith("compacted:") and "space of replaced tables" in result.method
    assert served.stat().st_size < build.stat().st_size / 2
    assert _served(served) == ({"marts", "presentation"}, 1000, "规划")


@pytest.mark.parametrize(
    ("free_share", "outside", "reason"),
    [
        (0.0, (), None),
        (COMPACT_ABOVE_FREE_SHARE, (), None),
        (COMPACT_ABOVE_FREE_SHARE + 0.01, (), "51% of the build file is space of replaced tables"),
        (0.0, ("main.x",), "the build file also holds main.x, which is not published"),
    ],
)
def test_when_the_contract_file_is_compacted(free_share, outside, reason):
    assert ContractFile(free_share, outside).compact_reason() == reason
