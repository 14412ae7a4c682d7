"""Which region a bulletin is about, from its title: `detect_region(text)`.

Known names first (catalog/regions.yaml with its aliases, and the alias table's `regions:`), then a generic rule:
the administrative names written right before 国民经济和社会发展统计公报 (湖南省怀化市靖州苗族侗族自治县 → the last
one, 靖州苗族侗族自治县). One function, so that a fuller region table can replace the known names later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.bulletins.scan import short_name

DEFAULT_REGIONS_FILE = Path(__file__).resolve().parents[2] / "catalog" / "regions.yaml"

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


@lru_cache(maxsize=4)
def _table_names(path: Path) -> dict[str, str]:
    """name or alias → the region's name_zh, from catalog/regions.yaml (empty when the file is missing)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    names: dict[str, str] = {}
    for region in data.get("regions") or []:
        name = str(region.get("name_zh") or "")
        for alias in (name, region.get("full_name_zh"), *(region.get("aliases") or ())):
            if alias and len(str(alias)) >= 2:
                names[str(alias)] = name
    return names


@lru_cache(maxsize=4)
def _table_codes(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(r["name_zh"]): str(r["code"]) for r in data.get("regions") or [] if r.get("name_zh") and r.get("code")}


def region_code(name: str | None, regions_file: Path = DEFAULT_REGIONS_FILE) -> str | None:
    """The division code catalog/regions.yaml gives `name`, else None."""
    return _table_codes(regions_file).get(name) if name else None


def known_region_in(
    text: str, known: Mapping[str, str] | None = None, regions_file: Path = DEFAULT_REGIONS_FILE
) -> str | None:
    """The longest known region named in `text` (an autonomous county also by its short name: 秀山县)."""
    names = dict(_table_names(regions_file))
    for name in known or {}:
        names.setdefault(name, name)
    hits = [n for n in names if n in text and n != "重庆市"]
    if hits:
        return names[max(hits, key=len)]
    short = [n for n in names if (s := short_name(n)) and s in text]
    return names[max(short, key=len)] if short else None


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


def detect_region(
    text: str, known: Mapping[str, str] | None = None, regions_file: Path = DEFAULT_REGIONS_FILE
) -> str | None:
    """The region a bulletin's title (or opening line) names: a known region, else the generic rule."""
    return known_region_in(text, known, regions_file) or generic_region(text)
