"""Which region a bulletin is about, and its division code: `detect_region(text) -> Named | None`.

Every name is resolved through the national region table (ingest/regions.py: catalog/regions_cn.csv with the
installation's catalog/regions.yaml), so a bulletin of any Chinese region gets its GB/T 2260 code. A title names
its region by a name of the table (2023年缙云县…, 咸宁市…, a short form 石柱县), else by the generic rule: the
administrative names written right before 国民经济和社会发展统计公报 (湖南省怀化市靖州苗族侗族自治县 → the last one).
A name shared by several divisions (江北区: 重庆市 and 宁波市) is decided only by a parent named in the same text;
otherwise the name is kept without a code, and the file is quarantined saying so. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.regions import CATALOG, Division, divisions_named, lookup, table
from ingest.regions import detect_region as division_in

# what a bulletin's title says after the region's name
_BULLETIN_WORDS = re.compile(
    r"(?:国民经济(?:和|与|及)?社会发展|经济(?:和|与)?社会发展|国民经济)?统计公报|经济运行(?:情况|简况|分析)?"
)
_YEAR_WORDS = re.compile(r"(?:19|20)\d\d\s*年(?:度)?|[〇零一二三四五六七八九]{4}年(?:度)?")
_TAIL_NOISE = re.compile(r"(?:统计局|人民政府|关于|发布|的|[\s《》“”\"()（）:：,，、])+$")
_SUFFIX = "省市州盟县区旗"
_NAME_RUN = re.compile(r"[\u4e00-\u9fff]{2,40}$")
# the second half of an autonomous unit's name (苗族侗族自治县): never a name on its own
_ETHNIC = (
    "土家|布依|仡佬|哈尼|傈僳|拉祜|纳西|景颇|布朗|阿昌|普米|独龙|德昂|基诺|蒙古|朝鲜|达斡尔|鄂温克|鄂伦春|哈萨克|维吾尔|柯尔克孜"
    "|塔吉克|锡伯|东乡|保安|撒拉|裕固|毛南|仫佬|门巴|珞巴|赫哲|俄罗斯|乌孜别克|塔塔尔|高山|苗|侗|彝|藏|羌|回|壮|瑶|水|白|傣|佤"
    "|怒|满|土|黎|畲|京"
)
_ETHNIC_TAIL = re.compile(rf"^(?:(?:{_ETHNIC})族)+自治")


@dataclass(frozen=True)
class Named:
    """A region a text names: the table's name of its division (咸宁市 for 咸宁), or the name as written when the
    table has no single division for it (then `code` is None and `shared_by` says why)."""

    name_zh: str
    code: str | None
    shared_by: tuple[str, ...] = ()  # full names of the divisions a shared name may be (重庆市江北区, …)


def _named(division: Division) -> Named:
    return Named(division.name_zh, division.code)


def resolve(name: str | None, context: str = "", catalog_dir: Path = CATALOG) -> Named | None:
    """`name` (a full name, short form, alias or code) as a region: with its code when the table has exactly one
    division for it, or one whose parent `context` names; without a code otherwise (unknown or shared)."""
    if not name:
        return None
    division = lookup(name, catalog_dir, context)
    if division is not None:
        return _named(division)
    regions = table(catalog_dir)
    shared = tuple(regions.full_name(d.code) for d in divisions_named(name, catalog_dir))
    if shared:
        return Named(name, None, shared if len(shared) > 1 else ())
    # a run of names (浙江省宁波市江北区, 新疆生产建设兵团第二师铁门关市): the division whose name ends it
    return _ending_with(name, context + name, catalog_dir) or Named(name, None)


def region_code(name: str | None, context: str = "", catalog_dir: Path = CATALOG) -> str | None:
    """The GB/T 2260 code of the region `name` (see `resolve`), else None."""
    found = resolve(name, context, catalog_dir)
    return found.code if found else None


def in_table(name: str | None, catalog_dir: Path = CATALOG) -> bool:
    """`name` is a name of the table (of one division or of several)."""
    return bool(name) and bool(divisions_named(name, catalog_dir) or lookup(name, catalog_dir))


def _is_bare(name: str, division: Division) -> bool:
    """A short form without the administrative word of its division (咸宁, 广州, 黔江, 全国; not 石柱县, 恩施州): in
    a sentence it may be any word."""
    return name in division.short_names and not (name[-1] == division.name_zh[-1] and name[-1] in _SUFFIX)


def known_region_in(text: str, catalog_dir: Path = CATALOG, bare_ok: bool = False) -> Named | None:
    """The division `text` names by a name of the table: the most specific one (湖北省咸宁市 → 咸宁市), a shared
    name decided by a parent in `text`. A bare short form (咸宁) counts only with `bare_ok` (a title)."""
    division = division_in(text, catalog_dir)
    if division is None:
        return None
    if not bare_ok:
        regions = table(catalog_dir)
        written = {name for _s, _e, name in regions.names_in(text) if division.code in regions.by_name[name]}
        if all(_is_bare(name, division) for name in written):
            return None
    return _named(division)


# province-level names (facts of the administrative division): a run of words that holds one starts there
_PROVINCES = re.compile(
    r"(?:北京|天津|上海|重庆)市|(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州"
    r"|云南|陕西|甘肃|青海|台湾)省|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区"
)


def _is_unit(name: str) -> bool:
    return (
        (
            len(name) >= 2
            and name[-1] in _SUFFIX
            and not _ETHNIC_TAIL.match(name)
            and name[0] not in "全我本该各"
            and not name.endswith(("地区", "城区", "市区", "辖区", "园区", "社区", "新区", "小区"))
        )
        or _PROVINCES.fullmatch(name) is not None
        or (name.endswith("地区") and len(name) >= 4)
    )


def _splits_into_units(text: str) -> bool:
    """`text` is a run of administrative names (湖南省怀化市), each of two characters or more."""
    if not text:
        return True
    return any(_is_unit(text[i:]) and _splits_into_units(text[:i]) for i in range(len(text) - 1))


def last_unit(names: str) -> str | None:
    """The lowest administrative unit of a run of names: 湖南省怀化市靖州苗族侗族自治县 → 靖州苗族侗族自治县,
    济南市市中区 → 市中区; None when `names` is not such a run."""
    for i in range(len(names) - 1, -1, -1):
        tail, head = names[i:], names[:i]
        if _is_unit(tail) and _splits_into_units(head):
            return tail
    return None


_LEADING_WORDS = re.compile(r"^(?:根据|依据|据|经|由|从|在|对)")


def lowest_unit(names: str) -> str | None:
    """The lowest unit of a run of words ending in administrative names: from the last province named on
    (…调查总队发布了四川省 → 四川省), leading words such as 据 dropped."""
    provinces = list(_PROVINCES.finditer(names))
    if provinces:
        names = names[provinces[-1].start() :]
    return last_unit(_LEADING_WORDS.sub("", names))


def generic_region(title: str) -> str | None:
    """The unit named right before 国民经济和社会发展统计公报 (a year may sit in between or in front)."""
    words = _BULLETIN_WORDS.search(title)
    if not words:
        return None
    before = _YEAR_WORDS.sub("", title[: words.start()])
    for _ in range(3):
        before = _TAIL_NOISE.sub("", before)
        before = re.sub(r"统计局$", "", before)
    run = _NAME_RUN.search(before)
    if not run:
        return None
    return lowest_unit(run.group(0))


def detect_region(text: str, catalog_dir: Path = CATALOG) -> Named | None:
    """The region a bulletin's title names. The generic rule's name (the lowest unit right before 统计公报) decides
    when there is one: resolved in the table (新疆生产建设兵团第二师铁门关市 by the division its run ends with), or
    kept without a code when the table has no single division for it (a province named with an unknown county is
    not taken for the county). Without one, a name of the table in the text; a short form without its
    administrative word (2023年咸宁国民经济…) only in a bulletin's title."""
    name = generic_region(text)
    if name:
        return resolve(name, text, catalog_dir)
    found = known_region_in(text, catalog_dir)
    words = _BULLETIN_WORDS.search(text)
    if found is None and words:
        # a bulletin's title names its region right before its bulletin words (a headline need not): there a
        # short form counts too, and never one that runs into those words (咸宁国民经济…: not 宁国)
        found = known_region_in(text[: words.start()], catalog_dir, bare_ok=True)
    return found


def _ending_with(run: str, context: str, catalog_dir: Path) -> Named | None:
    """The division whose name (not a bare short form) ends a run of words (…第二师铁门关市 → 铁门关市)."""
    regions = table(catalog_dir)
    for _start, end, name in sorted(regions.names_in(run), key=lambda m: m[0]):
        if end != len(run):
            continue
        division = lookup(name, catalog_dir, context)
        if division is not None and not _is_bare(name, division):
            return _named(division)
    return None


def table_unit(names: str, context: str = "", catalog_dir: Path = CATALOG) -> Named | None:
    """The lowest unit of a run of names (see `lowest_unit`) when it is a name of the table; None for any other
    word that merely ends like one (按照县, 紧紧围绕市): for the weaker places a region is read from."""
    name = lowest_unit(names)
    return resolve(name, context or names, catalog_dir) if in_table(name, catalog_dir) else None
