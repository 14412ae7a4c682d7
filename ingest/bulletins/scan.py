"""Numbers and labels as written: the quantities of a text, clause and bracket boundaries, cleaned labels and the
labels of a list."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ingest.bulletins import patterns as P
from ingest.bulletins.items import Qty

_ANY_DIGIT = re.compile(r"\d")


def scan_numbers(text: str) -> list[Qty]:
    """Numbers with a unit, ratios and damaged numbers in `text`, in order. A bare number is kept only inside a
    list whose last member has the unit (分别为41.0、38.6和170.4亿元)."""
    if not _ANY_DIGIT.search(text) and "?" not in text and "\ufffd" not in text:
        return []
    taken = bytearray(len(text))
    found: list[Qty] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(q: Qty) -> None:
        taken[q.start : q.end] = b"\x01" * (q.end - q.start)
        found.append(q)

    damaged = "?" in text or "\ufffd" in text
    for m in P.DAMAGED.finditer(text) if damaged else ():
        chunk = m.group(0)
        if chunk and ("?" in chunk or "\ufffd" in chunk) and (re.search(r"\d", chunk) or m.group("unit")):
            take(Qty(m.start(), m.end(), chunk, m.group("unit") or "", damaged=True))
    for m in P.RATIO.finditer(text) if ":" in text else ():
        if free(m.start(), m.end()):
            take(Qty(m.start(), m.end(), m.group(0), "", ratio=True))
    bare: list[Qty] = []
    for m in P.NUMBER.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.start() > 0 and text[m.start() - 1] in P.ORDINAL_BEFORE and not m.group("sign"):
            continue
        q = Qty(m.start(), m.end(), m.group("num"), m.group("unit") or "", sign=m.group("sign") or "")
        if q.unit:
            take(q)
        else:
            bare.append(q)
    found.sort(key=lambda q: q.start)
    # Give a bare number the unit of the list it belongs to, walking back from the member that has one.
    for q in sorted(bare, key=lambda q: q.start, reverse=True):
        following = next((f for f in found if f.start >= q.end), None)
        if following and following.unit and not following.ratio and P.LIST_JOIN.match(text[q.end : following.start]):
            q.unit = following.unit
            found.append(q)
            found.sort(key=lambda f: f.start)
    return found


def bracket_depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            out.append(depth)
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
            out.append(depth)
        else:
            out.append(depth)
    return out


def clause_start_of(text: str, depths: list[int], pos: int) -> int:
    """Start of the clause holding `pos`: after the last `,` `;` or `:` (not a ratio colon) at the same
    bracket depth, or after the opening bracket when `pos` is inside brackets."""
    d = depths[pos] if pos < len(depths) else 0
    i = pos - 1
    while i >= 0:
        ch = text[i]
        if depths[i] == d and (ch in P.CLAUSE_SEP or (ch == ":" and not text[i + 1 : i + 2].isdigit())):
            break
        if d > 0 and ch == "(" and depths[i] == d - 1:
            break
        i -= 1
    return i + 1


def enclosing_bracket(text: str, depths: list[int], pos: int) -> str | None:
    d = depths[pos]
    if d == 0:
        return None
    start = text.rfind("(", 0, pos)
    end = text.find(")", pos)
    return text[start + 1 : end if end >= 0 else len(text)]


PARENS = re.compile(r"\([^()]*\)")


def drop_notes(text: str) -> str:
    """Brackets holding a scope note, a definition or a number are not part of a label."""
    return PARENS.sub(lambda m: "" if P.NOTE_CONTENT.search(m.group(0)) else m.group(0), text)


def strip_brackets(text: str) -> str:
    return PARENS.sub("", text)


# ---- labels ---------------------------------------------------------------------------------------------------


_AUTONOMOUS = re.compile(r"^(?P<base>[\u4e00-\u9fff]{2,3}?)(?:[\u4e00-\u9fff]{1,3}?族)+自治(?P<level>县|区|州|旗)$")


def short_name(region_zh: str) -> str | None:
    """The usual short name of an autonomous county (彭水苗族土家族自治县 → 彭水县), else None."""
    m = _AUTONOMOUS.match(region_zh)
    return m["base"] + m["level"] if m else None


@lru_cache(maxsize=256)
def region_prefixes(region_zh: str | None) -> tuple[str, ...]:
    """How a bulletin names its own region before a label: 黔江区/黔江, its own 全区/全县/全市/全省/全州 …, 市(州) for
    a prefecture, and an autonomous county by its short name (彭水苗族土家族自治县 → 彭水县, 彭水)."""
    prefixes = ["重庆市"]
    if region_zh:
        own = region_zh[-1]
        prefixes += [region_zh, region_zh[:-1] if len(region_zh) > 2 else region_zh, f"全{own}", f"我{own}", f"本{own}"]
        m = _AUTONOMOUS.match(region_zh)
        if m:
            prefixes += [m["base"] + m["level"], m["base"] + "自治" + m["level"], m["base"]]
        if region_zh.endswith(("市", "州", "盟")):
            prefixes += ["全市", "市(州)", "州(市)", "全州"] if not region_zh.endswith("盟") else ["全盟"]
    return tuple(sorted(set(prefixes), key=len, reverse=True))


# What runs into a label when a page loses its line breaks: a section heading (二、人口), a figure caption
# (图2 三次产业比重). The words after it up to the label are the heading's or caption's own.
_RUN_IN_HEAD = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十]、|[二三]产)|\([一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]+部分"
    r"|[图表]\s*\d{1,2}(?:\s*(?:19|20)\d\d\s*-\s*(?:19|20)\d\d年)?(?=\D))"
)
# words that qualify the label after them, so never the last words of a heading (二、人口城镇常住人口)
_MODIFIER_END = re.compile(r"(?:城镇|农村|城乡|户籍|常住|居民|全体|规模以上|规上|人均|全年|年末)$")
_MAX_HEADING = 16
_TIME_WORD = re.compile(r"年末|全年|年底")
_NUMBER_BEFORE_LEAD = re.compile(r"\d%?(?=年末|全年|年底|全[县区市省州盟旗])")
_YEAR_END = re.compile(r"(?<!\d)(?:19|20)\d\d$")  # 2023年末: a date, not a figure


def _run_in_cut(text: str, prefixes: tuple[str, ...], known: Callable[[str], bool] | None) -> int | None:
    """Where the label starts after a heading or caption run into it: at a when/where word (年末, 全年, 全县 …)
    whose label is known (the first), else the last such word; without one, where a known label starts right
    after a plausible heading (二、农业粮食总产量). None when nothing runs in or no start is found."""
    head = _RUN_IN_HEAD.match(text)
    if not head:
        # a heading that lost its number (人口年末常住人口): a time word right after a few words, and a known label
        # after it while the whole is not one
        if known is None or known(_cleaned(text, prefixes)):
            return None
        # the numbers of a table flattened into the text run into the label after them (…71.3年末全区常住人口)
        ends = [m.end() for m in _NUMBER_BEFORE_LEAD.finditer(text) if not _YEAR_END.search(text, 0, m.start() + 1)]
        if ends and known(_cleaned(text[ends[-1] :], prefixes)):
            return ends[-1]
        for m in _TIME_WORD.finditer(text, 1, _MAX_HEADING):
            if not _MODIFIER_END.search(text[: m.start()]) and known(_cleaned(text[m.start() :], prefixes)):
                return m.start()
        return None
    starts = [
        i for i in range(head.end(), len(text)) if P.LEAD.match(text, i) or any(text.startswith(p, i) for p in prefixes)
    ]
    if known is not None:
        for i in starts:
            if known(_cleaned(text[i:], prefixes)):
                return i
        for i in range(head.end() + 2, min(len(text), head.end() + _MAX_HEADING)):
            if not _MODIFIER_END.search(text[:i]) and known(_cleaned(text[i:], prefixes)):
                return i
    return starts[-1] if starts else len(text)


def _cleaned(text: str, prefixes: tuple[str, ...]) -> str:
    for _ in range(4):
        before = text
        for prefix in prefixes:
            text = text.removeprefix(prefix)
        text = P.LEAD.sub("", text).lstrip(",:、")
        if text == before:
            break
    text = P.MID_VERBS.sub("", text).replace("每人平均", "人均")
    text = P.LEVEL_TAIL.sub("", text)
    return text.strip(",;:、的")


@lru_cache(maxsize=8192)
def clean_label(raw: str, region_zh: str | None, known: Callable[[str], bool] | None = None) -> str:
    """`全年实现地区生产总值` → `地区生产总值`: when/where words and verbs out, the thing measured kept; a heading or
    caption run into the label (`二、人口年末全县常住人口`) out. `known` (is this a label of the alias table?) helps
    find where a run-in heading ends."""
    text = drop_notes(raw).replace(" ", "").strip(",;:、")
    prefixes = region_prefixes(region_zh)
    cut = _run_in_cut(text, prefixes, known)
    if cut is not None:
        text = text[cut:]
    return _cleaned(text, prefixes)


def distribute_labels(subject: str, n: int, known: Callable[[str], bool] | None = None) -> list[str] | None:
    """The labels of the `n` members of a list named `subject`; None when the list does not have `n` members.

    Members share a tail (`城镇、农村常住居民人均可支配收入` → 城镇常住居民…, 农村常住居民…; `一、二、三产业增加值`
    → 第一产业增加值…) or a head (`粮食播种面积和总产量` → 粮食播种面积, 粮食总产量; `城镇调查失业率、登记失业率`).
    With `known` (is this a label of the alias table?) a member keeps its own words when they are a known label
    (`接待游客和旅游综合收入`), else takes the shared part that makes it one; without, or when no completion is
    known, the last member's extra words are given to the others."""
    parts = [p for p in re.split(r"、|和|与|及|以及", subject) if p]
    if len(parts) != n or n < 2:
        return None
    parts = ["第" + p if re.match(r"^[一二三](?:产|$)", p) else p for p in parts]  # 一、二、三产业 → 第一产业…
    first, last, sibling = parts[0], parts[-1], parts[-2]
    fallback = list(parts)
    if len(last) > len(sibling):
        tail = last[len(sibling) :]
        fallback = [p + tail for p in parts[:-1]] + [last]
    if known is None:
        return fallback
    labels = []
    for i, part in enumerate(parts):
        candidates = [part]
        if i < n - 1:  # a shared tail, cut where the last member's own words end (the sibling length first)
            cuts = [len(part), *range(1, len(last))]
            candidates += [part + last[k:] for k in dict.fromkeys(cuts) if 0 < k < len(last)]
        if i > 0:  # a shared head, the longest first
            candidates += [first[:k] + part for k in range(len(first) - 1, 0, -1)]
        labels.append(next((c for c in candidates if known(c)), fallback[i]))
    return labels


# ---- the sentence grammar --------------------------------------------------------------------------------------
