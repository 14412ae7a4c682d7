"""The parser proposes, the catalog decides: the checked-in catalog must match the parsed plan exactly, and drift
of every kind is reported."""

import dataclasses
from pathlib import Path

import pytest

from ingest.catalog import drift, load_catalog
from ingest.plan_document import parse_plan_document, target_records
from ingest.plan_tables import Region
from ingest.themes import load_theme_rules
from planwatch_core.errors import InputError

REPO = Path(__file__).resolve().parent.parent
THEMES = load_theme_rules(REPO / "catalog" / "themes.yaml")


@pytest.fixture(scope="module")
def parsed(plan_text):
    document = parse_plan_document(plan_text, "qianjiang_14th_fyp_outline.txt", Region("500114", "qianjiang", "黔江区"))
    return target_records(document, THEMES)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "catalog" / "indicators.yaml", set(THEMES.codes))


def test_catalog_matches_the_plan(parsed, catalog):
    assert drift(parsed, catalog) == []
    assert len(catalog) == 27 + 32 + 4


def test_catalog_overrides_per_spec(catalog):
    by_id = {e.indicator_id: e for e in catalog}
    assert by_id["qianjiang-13th-02"].theme_code == "hql"  # income growth → 高品质生活
    assert by_id["qianjiang-13th-32"].theme_code == "safe"  # safety accidents → 安全
    assert by_id["qianjiang-14th-27"].direction == -1
    assert by_id["qianjiang-14th-02"].price_basis == "2020年价"
    assert by_id["qianjiang-14th-16"].actual_kind == "ratio"
    assert by_id["qianjiang-13th-18"].accumulation == "compound"


def test_drift_detects_missing_extra_and_changed(parsed, catalog):
    trimmed = [e for e in catalog if e.indicator_id != "qianjiang-14th-05"]
    changed = [
        dataclasses.replace(e, target_text="8△") if e.indicator_id == "qianjiang-14th-01" else e for e in trimmed
    ]
    extra = dataclasses.replace(catalog[0], indicator_id="qianjiang-14th-99")
    found = {(d.indicator_id, d.field) for d in drift(parsed, [*changed, extra])}
    assert found == {
        ("qianjiang-14th-05", "entry"),  # a parsed row with no entry
        ("qianjiang-14th-99", "entry"),  # an entry with no row
        ("qianjiang-14th-01", "target_text"),  # different text
    }


def test_invalid_catalog_entry_names_the_entry(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "indicators:\n  - id: x-01\n    name_zh: 甲\n    name_en: A\n    unit: '%'\n    target_text: '1'\n"
        "    theme: nowhere\n    direction: 1\n    path: linear\n    aggregation: final_year\n"
        "    accumulation: null\n    actual: {kind: submission}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(bad, set(THEMES.codes))
    assert caught.value.place == "indicators[0] (x-01)"
    assert "theme 'nowhere'" in caught.value.reason


def test_a_large_catalog_is_parsed_by_chunks_with_the_same_entries_and_error_places(tmp_path, monkeypatch):
    """A catalog of thousands of plans is parsed CHUNK_ITEMS entries at a time (memory); the entries are those of a
    whole parse, in order, and a YAML error names its line in the whole file."""
    import yaml as yaml_module

    import ingest.catalog as catalog_module

    source = REPO / "catalog" / "indicators.yaml"
    themes = {t["code"] for t in yaml_module.safe_load((REPO / "catalog" / "themes.yaml").read_text())["themes"]}
    text = source.read_text(encoding="utf-8")
    whole = [e.indicator_id for e in catalog_module._load_catalog(source, text, themes)]
    monkeypatch.setattr(catalog_module, "CHUNK_ITEMS", 5)
    assert sum(1 for _ in catalog_module._item_chunks(text)) > 5
    assert [e.indicator_id for e in catalog_module._load_catalog(source, text, themes)] == whole
    lines = text.splitlines(keepends=True)
    bad_line = max(i for i, line in enumerate(lines) if line.startswith("    name_zh:"))
    lines[bad_line] = '    name_zh: "unclosed\n'
    broken = tmp_path / "indicators.yaml"
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=f"line {bad_line + 2}|line {bad_line + 1}"):
        catalog_module._load_catalog(broken, broken.read_text(encoding="utf-8"), themes)


def test_a_large_catalog_parsed_in_processes_gives_the_same_entries_and_places(tmp_path, monkeypatch):
    """With workers, the chunks are parsed in processes: the same entries in the same order, and an invalid entry
    or a duplicate id in a later chunk is named by its place in the whole file."""
    import yaml as yaml_module

    import ingest.catalog as catalog_module

    source = REPO / "catalog" / "indicators.yaml"
    themes = {t["code"] for t in yaml_module.safe_load((REPO / "catalog" / "themes.yaml").read_text())["themes"]}
    text = source.read_text(encoding="utf-8")
    whole = catalog_module._load_catalog(source, text, themes)
    monkeypatch.setattr(catalog_module, "CHUNK_ITEMS", 7)
    assert catalog_module._load_catalog(source, text, themes, workers=2) == whole

    def block_list(items: list[dict]) -> str:  # the catalog's own layout: `  - ` entries under `indicators:`
        dumped = yaml_module.safe_dump(items, allow_unicode=True, sort_keys=False)
        return "indicators:\n" + "".join(f"  {line}" for line in dumped.splitlines(keepends=True))

    items = yaml_module.safe_load(text)["indicators"]
    late = len(items) - 2  # in the last chunk
    items[late]["theme"] = "nowhere"
    broken = tmp_path / "indicators.yaml"
    broken.write_text(block_list(items), encoding="utf-8")
    assert catalog_module._item_chunks(broken.read_text(encoding="utf-8")) is not None
    with pytest.raises(InputError) as caught:
        catalog_module._load_catalog(broken, broken.read_text(encoding="utf-8"), themes, workers=2)
    assert caught.value.place == f"indicators[{late}] ({items[late]['id']})"

    items[late]["theme"] = items[0]["theme"]
    items[late]["id"] = items[3]["id"]
    broken.write_text(block_list(items), encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id") as caught:
        catalog_module._load_catalog(broken, broken.read_text(encoding="utf-8"), themes, workers=2)
    assert caught.value.place == f"indicators[{late}] ({items[3]['id']})"
