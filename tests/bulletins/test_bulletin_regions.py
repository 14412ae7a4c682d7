"""The bulletin reader names regions through the national region table (ingest/regions.py): any county of China
gets its GB/T 2260 code, a short form is taken where it is unambiguous, and a name two divisions share (江北区:
重庆市 and 浙江省宁波市) is decided only by a parent named in the text, else left undecided and quarantined.
Every figure below is invented."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from ingest.bulletins import extract_file
from ingest.bulletins.aliases import load_aliases
from ingest.bulletins.region import Named, detect_region, resolve
from ingest.landing import land_inputs
from planwatch_core.paths import Paths

REPO = Path(__file__).resolve().parents[2]
BODY = "一、综合\n初步核算,全年全{word}地区生产总值123.45亿元,按可比价格计算,比上年增长5.6%。\n"


def _read(tmp_path: Path, title: str, word: str = "县", name: str = "bulletin.txt", alias_file: Path | None = None):
    path = tmp_path / name
    path.write_text(title + "\n" + BODY.format(word=word), encoding="utf-8")
    return extract_file(path, alias_file=alias_file) if alias_file else extract_file(path)


def _gdp(result) -> float | None:
    return next((f.value for f in result.figures if f.metric_key == "gdp"), None)


def test_a_county_far_from_chongqing_gets_its_code(tmp_path: Path) -> None:
    result = _read(tmp_path, "2023年景宁畲族自治县国民经济和社会发展统计公报")
    assert (result.region_zh, result.region_code, result.year) == ("景宁畲族自治县", "331127", 2023)
    assert _gdp(result) == 123.45
    # the province and prefecture in front change nothing; a bureau that signs the page names it too
    assert _read(tmp_path, "2023年浙江省丽水市景宁畲族自治县国民经济和社会发展统计公报").region_code == "331127"
    signed = _read(tmp_path, "宜章县统计局\n2024年3月20日\n2023年,全县经济稳中有进。")
    assert (signed.region_zh, signed.region_code, signed.year) == ("宜章县", "431022", 2023)


def test_a_short_form_is_taken_where_it_is_unambiguous(tmp_path: Path) -> None:
    titled = _read(tmp_path, "2021年咸宁国民经济和社会发展统计公报", word="市")
    assert (titled.region_zh, titled.region_code) == ("咸宁市", "421200")
    # no title: the subject of the opening sentence, of the level of the text's own word (全县 → a 县)
    opening = _read(
        tmp_path,
        "2022年略阳经济社会发展稳中有进,全县上下坚持稳字当头、稳中求进,统筹发展和安全,扎实推进各项工作,全年经济运行总体平稳。",
    )
    assert (opening.region_zh, opening.region_code, opening.year) == ("略阳县", "610727", 2022)
    assert load_aliases().region_code("咸宁") == "421200"
    # a short form in a headline is no region: 广州 in a sentence about a district
    assert detect_region("广东广州的一个大区人口117万") is None


def test_jiangbei_is_decided_only_by_a_parent_in_the_text(tmp_path: Path) -> None:
    alone = _read(tmp_path, "2023年江北区国民经济和社会发展统计公报", word="区")
    assert (alone.region_zh, alone.region_code) == ("江北区", None)
    assert set(alone.region_shared_by) == {"重庆市江北区", "浙江省宁波市江北区"}
    assert "ambiguous" in (alone.region_problem() or "")
    assert _read(tmp_path, "2023年浙江省宁波市江北区国民经济和社会发展统计公报").region_code == "330205"
    assert _read(tmp_path, "2023年宁波市江北区国民经济和社会发展统计公报").region_code == "330205"
    assert _read(tmp_path, "2023年重庆市江北区国民经济和社会发展统计公报").region_code == "500105"
    assert resolve("江北区") == Named("江北区", None, alone.region_shared_by)
    assert resolve("浙江省宁波市江北区") == Named("江北区", "330205")  # as `planwatch extract --region` takes it
    assert resolve("新疆生产建设兵团第二师铁门关市") == Named("铁门关市", "659006")
    aliases = load_aliases()
    assert aliases.region_code("江北区") is None
    assert aliases.region_code("江北区", context="宁波市") == "330205"


def test_an_installation_pins_a_shared_name_with_an_alias(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    shutil.copyfile(REPO / "catalog" / "metric_aliases.yaml", catalog / "metric_aliases.yaml")
    (catalog / "regions.yaml").write_text(
        (REPO / "catalog" / "regions.yaml").read_text(encoding="utf-8")
        + '  - {code: "330205", name_zh: 江北区, slug: jiangbei, aliases: [江北区]}\n',
        encoding="utf-8",
    )
    result = _read(tmp_path, "2023年江北区国民经济和社会发展统计公报", alias_file=catalog / "metric_aliases.yaml")
    assert (result.region_zh, result.region_code) == ("江北区", "330205")


def test_a_region_outside_the_table_is_named_not_guessed(tmp_path: Path) -> None:
    result = _read(tmp_path, "2023年红河谷县国民经济和社会发展统计公报")
    assert (result.region_zh, result.region_code) == ("红河谷县", None)  # not 红河县, whose short form it holds
    assert (
        result.region_problem()
        == "names the region 红河谷县, which is not in the region table (catalog/regions_cn.csv)"
    )


def test_landing_quarantines_an_undecided_region_saying_what_to_do(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "bulletins").mkdir(parents=True)
    title = "2023年{}国民经济和社会发展统计公报\n"
    (inbox / "bulletins" / "jiangbei.txt").write_text(title.format("江北区") + BODY.format(word="区"), "utf-8")
    (inbox / "bulletins" / "unknown.txt").write_text(title.format("红河谷县") + BODY.format(word="县"), "utf-8")
    (inbox / "bulletins" / "ningbo.txt").write_text(title.format("宁波市江北区") + BODY.format(word="区"), "utf-8")
    paths = Paths(inbox=inbox, warehouse=tmp_path / "warehouse", catalog=REPO / "catalog")
    report = land_inputs(paths, progress=lambda _: None)
    reasons = {o.name: o.reason for o in report.quarantined}
    assert set(reasons) == {"jiangbei.txt", "unknown.txt"}
    assert "江北区" in reasons["jiangbei.txt"] and "ambiguous" in reasons["jiangbei.txt"]
    assert "红河谷县" in reasons["unknown.txt"] and "not in the region table" in reasons["unknown.txt"]
    manifest = {r["file_name"]: r for r in pq.read_table(paths.landing / "input_files").to_pylist()}
    assert "add it as an alias of its division code in catalog/regions.yaml" in manifest["unknown.txt"]["reason"]
    assert "name the parent in the title" in manifest["jiangbei.txt"]["reason"]
    figures = pq.read_table(paths.landing / "bulletin_figures").to_pylist()
    gdp = [f for f in figures if f["metric_key"] == "gdp"]
    assert [(f["region_code"], f["year"], f["value"]) for f in gdp] == [("330205", 2023, 123.45)]
