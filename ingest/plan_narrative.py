"""Quantitative statements in a plan's prose → targets (plan body) or results (review of the last plan).

"到2025年，规模以上工业总产值达到350亿元" is a target; "地区生产总值达到245.2亿元、年均增长8.4%" in the review of the
13th plan is a 2020 result. Both are read by the same clause grammar:

    <subject> [分别] <verb> <number><unit>[以上|以下|左右] [、<subject> <number><unit> …]     level / growth
    <count verb> <object> <number><unit> [、<object> <number><unit> …]                        新增 培育 累计 …
    <subject> <number><unit> 以上|左右                                                        no verb, qualified

A statement is kept only when it ends at a clause boundary, so "新增330兆瓦的风电场" (a project) is not a target.
Pure: text in, statements out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_UNITS = sorted(
    [
        "%",
        "‰",
        "个百分点",
        "亿元",
        "万元",
        "元",
        "亿美元",
        "万美元",
        "万人次",
        "人次",
        "万人",
        "人",
        "家",
        "个",
        "条",
        "座",
        "处",
        "所",
        "套",
        "万头",
        "头",
        "万羽",
        "羽",
        "万担",
        "担",
        "平方公里",
        "万平方米",
        "平方米",
        "公里",
        "万亩",
        "亩",
        "亿立方米",
        "万立方米",
        "立方米",
        "万吨",
        "吨",
        "天",
        "年",
        "岁",
        "件",
        "张",
        "兆瓦",
        "万千瓦",
        "千瓦",
        "户",
        "项",
        "床",
    ],
    key=len,
    reverse=True,
)
UNIT = "(?:" + "|".join(re.escape(u) for u in _UNITS) + ")"
NUM = r"\d+(?:\.\d+)?(?:[-~～]\d+(?:\.\d+)?)?"
QUAL = r"(?:以上|以下|以内|左右)"
_VALUE = rf"(?P<num>{NUM})(?P<unit>{UNIT})(?P<qual>{QUAL})?"
_END = r"(?=[，、,。；;：:]|和|$)"

LEVEL_VERBS = (
    "累计达到|达到|提高到|提升到|增加到|增长到|扩大到|拓展到|控制在|稳定保持在|稳定在|保持在|突破|超过|下降到|降低到|降到|"
    "减少到|达"
)
COUNT_VERBS = "新建或改造|新改建|新培育|新治理|新增|新建|累计实现|累计|培育"
_LEVEL = re.compile(rf"(?P<resp>分别)?(?P<verb>{LEVEL_VERBS})(?P<rest>.*)")
_GROWTH = re.compile(r"年均(?P<resp>分别)?(?:增长|增速为?|提高)(?P<rest>.*)")
_COUNT = re.compile(rf"(?P<verb>{COUNT_VERBS})(?P<object>[^，、,\d]{{2,24}}?){_VALUE}{_END}")
_BARE = re.compile(rf"^(?P<subject>[^、\d]{{2,30}}?)(?P<num>{NUM})(?P<unit>{UNIT})(?P<qual>以上|左右){_END}")
_VALUES = re.compile(rf"{_VALUE}(?:[、和]{_VALUE.replace('?P<', '?P<x')})*")
_ONE_VALUE = re.compile(_VALUE)
_FOLLOW = re.compile(rf"[、和](?P<subject>[^、，,\d]{{0,20}}?){_VALUE}{_END}")
_AREA_HEAD = re.compile(r"^.{1,5}[区城市县镇村]")
_FOLLOW_GROWTH = re.compile(r"[、和]年均(?:增长|提高)")

_LEADING_NOISE = re.compile(
    r"^(?:到20\d\d年|“十[一二三四五六七八九]五”(?:时期|期间)|十[一二三四五六七八九]五(?:时期|期间)|力争|确保|全区|实现|其中|并|使|要|基本|全面|推动|推进|加快)+"
)
_TRAILING_NOISE = re.compile(r"(?:力争|要|将|均|持续|基本|近|约)+$")
_LOWER_IS_BETTER = re.compile(r"下降|降低|减少|成本|死亡|失业率|能耗|排放|浓度|事故")
_LONG_RANGE = re.compile(r"20[3-9]\d年|二[〇○零]三[〇○零五]年")
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+[篇章节].*|专栏\s*\d+\s*[:：].+)$")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_LEAD_LABEL = re.compile(r"^([^：:，。]{2,16})[：:]")
_TOPIC = re.compile(r"^([^：:，。；]{4,16})。")  # '加强城市规划管理。' opens a paragraph as its topic


@dataclass(frozen=True)
class Statement:
    kind: str  # target (plan body) · review (results of the previous plan)
    name_zh: str
    value: float
    value_text: str  # number, unit and qualifier as written: '95%以上'
    unit: str
    comparator: str | None  # ge gt le lt approx; None = plain level (direction decides)
    aggregation: str  # final_year · average · cumulative
    direction: int  # +1 higher is better, -1 lower is better (a proposal; people review it)
    excerpt: str  # the sentence
    line: int  # 1-based line of the paragraph
    char_start: int  # offsets of the matched clause within the line
    char_end: int
    chapter: str | None  # nearest heading or 专栏 title above
    context: str | None  # the paragraph's lead label, e.g. 农村供水保障


@dataclass(frozen=True)
class _Paragraph:
    line: int
    text: str
    chapter: str | None


def paragraphs(text: str, skip_lines: set[int]) -> Iterator[_Paragraph]:
    """Prose paragraphs with their chapter; table cells (tab lines) and `skip_lines` are left out.

    The chapter is the nearest 篇/章/节 heading, or the 专栏 title while its 'label：…' items go on."""
    heading: str | None = None
    box: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _BOOKMARK.sub("", raw).strip()
        if match := _HEADING.match(line):
            if match.group(1).startswith("专栏"):
                box = match.group(1).strip()
            else:
                heading, box = match.group(1).strip(), None
            continue
        if number in skip_lines or raw.startswith("\t") or not line:
            continue
        if box and not _LEAD_LABEL.match(line):
            box = None  # the box's items are over; prose resumes
        if raw.startswith(" ") and not box:
            heading = None  # an indented paragraph opens a section whose heading the conversion lost
        yield _Paragraph(number, line, box or heading)


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in re.finditer(r"[。；;！!？?]|$", text):
        sentence = text[start : match.start()]
        if sentence.strip():
            yield start, sentence
        start = match.end()
        if match.end() == len(text):
            break


def _clauses(sentence: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in re.finditer(r"[，,：:]|$", sentence):
        yield start, sentence[start : match.start()]
        start = match.end()
        if match.end() == len(sentence):
            break


def _clean_subject(subject: str) -> str:
    subject = subject.strip(" 、和及")
    if subject.count("“") != subject.count("”"):
        subject = subject.strip("“”")
    previous = None
    while previous != subject:
        previous = subject
        subject = _LEADING_NOISE.sub("", subject).strip(" 、")
        subject = _TRAILING_NOISE.sub("", subject).strip(" 、")
    return subject


def _distribute(subject: str, count: int) -> list[str] | None:
    """'旅客、货邮吞吐量' with 2 values → ['旅客吞吐量', '货邮吞吐量']: short heads borrow the last name's tail."""
    names = [n for n in re.split(r"[、和]", subject) if n]
    if len(names) != count:
        return None
    last = names[-1]
    return [n + last[len(n) :] if len(n) < len(last) and not n.endswith(last[len(n) :]) else n for n in names[:-1]] + [
        last
    ]


def _comparator(verb: str, qual: str | None, num: str) -> str | None:
    if qual == "以上" or re.search(r"[-~～]", num):
        return "ge"  # a range '3-5个' is kept as its floor; the text keeps the range
    if qual in ("以下", "以内"):
        return "le"
    if qual == "左右":
        return "approx"
    if verb in ("突破", "超过"):
        return "gt"
    if verb in ("控制在", "下降到", "降低到", "降到", "减少到"):
        return "le"
    return None


def _number(num: str) -> float:
    return float(re.split(r"[-~～]", num)[0])


@dataclass
class _Item:
    name: str
    num: str
    unit: str
    qual: str | None
    verb: str
    aggregation: str
    start: int
    end: int


def _item(name: str, value: re.Match[str], verb: str, aggregation: str, start: int, end: int) -> _Item:
    """An item from a match that holds the groups num, unit and qual."""
    return _Item(name, value["num"], value["unit"], value["qual"], verb, aggregation, start, end)


def _level_items(clause: str, base: int, previous_names: list[str]) -> list[_Item]:
    """Items of a clause with a level or growth verb, including elliptical follow-ups after '、'."""
    items: list[_Item] = []
    position = scan = 0  # position: where the next subject starts; scan: where to look for a verb
    while scan < len(clause):
        found = None
        for index in range(scan, len(clause)):
            growth = _GROWTH.match(clause, index)
            level = None if growth else _LEVEL.match(clause, index)
            if growth or level:
                found = (index, growth, level)
                break
        if found is None:
            break
        index, growth, level = found
        match = growth or level
        assert match is not None
        rest_start = match.start("rest")
        values = _VALUES.match(clause, rest_start)
        if not values or not re.match(_END, clause[values.end() :]):
            scan = index + 1  # '达标率达到100%': the first 达 is part of the subject
            continue
        subject = _clean_subject(clause[position:index])
        if subject[:1].isdigit():
            position = scan = values.end()
            continue  # '50%村级集体经济组织年经营收入超过10万元' qualifies a population, it is no indicator
        raw_values = list(_ONE_VALUE.finditer(clause, values.start(), values.end()))
        verb = "年均增长" if growth else match.group("verb")
        if growth:
            names_source = [subject] if subject else previous_names
            if len(raw_values) > 1 and len(names_source) == 1:
                names = _distribute(names_source[0], len(raw_values))
            else:
                names = names_source if len(names_source) == len(raw_values) else None
            names = [f"{n}年均增速" for n in names] if names else None
        elif len(raw_values) > 1:
            names = _distribute(subject, len(raw_values)) if match.group("resp") else None
        else:
            names = [subject] if subject else (previous_names[-1:] if previous_names else None)
        if not names:
            position = scan = values.end()
            continue
        aggregation = "average" if growth else ("cumulative" if verb.startswith("累计") else "final_year")
        for name, value in zip(names, raw_values, strict=True):
            items.append(_item(name, value, verb, aggregation, base + index, base + value.end()))
        position = values.end()
        # elliptical follow-ups: '达到30平方公里、人口30万人以上'
        while not _FOLLOW_GROWTH.match(clause, position) and (follow := _FOLLOW.match(clause, position)):
            if re.search(LEVEL_VERBS, follow["subject"]):
                break  # '、绿地率达到40%' has its own verb: the outer loop reads it
            name = _borrow_area(_clean_subject(follow["subject"]), items[-1].name)
            items.append(_item(name, follow, verb, aggregation, base + position, base + follow.end()))
            position = follow.end()
        if _FOLLOW_GROWTH.match(clause, position):
            previous_names = [i.name for i in items[-1:]]
            position += 1
        scan = position
    return items


def _borrow_area(name: str, previous: str) -> str:
    """A follow-up that names only the measure borrows the area of the item before it:
    '中心城区建成区面积达到30平方公里、人口30万人以上' → '中心城区人口'."""
    if not name:
        return previous
    if len(name) <= 3 and (head := _AREA_HEAD.match(previous)):
        return head.group(0) + name
    return name


def _count_items(clause: str, base: int) -> list[_Item]:
    """新增/培育/累计 … : the name follows the verb ('新培育规上工业企业60家'); 累计 itself is not part of it."""
    items: list[_Item] = []
    for match in _COUNT.finditer(clause):
        verb = match["verb"]

        def named(subject: str, verb: str = verb) -> str:
            return subject if verb.startswith("累计") else verb + subject

        name = _clean_subject(match["object"])
        if not name:
            continue
        end = match.end("qual" if match["qual"] else "unit")
        items.append(_item(named(name), match, verb, "cumulative", base + match.start(), base + end))
        position = match.end()
        while (follow := _FOLLOW.match(clause, position)) and (follow_name := _clean_subject(follow["subject"])):
            items.append(_item(named(follow_name), follow, verb, "cumulative", base + position, base + follow.end()))
            position = follow.end()
    return items


def _bare_items(clause: str, base: int) -> list[_Item]:
    match = _BARE.match(clause.strip())
    if not match:
        return []
    offset = base + (len(clause) - len(clause.lstrip()))
    name = _clean_subject(match["subject"])
    if not name:
        return []
    return [_Item(name, match["num"], match["unit"], match["qual"], "", "final_year", offset, offset + match.end())]


def _is_long_range(sentence: str, target_year: int | None) -> bool:
    """A sentence about a year after the plan's target year (2035 vision of a 14th plan); without the plan's
    target year, any year from 2030 on."""
    if target_year is None:
        return bool(_LONG_RANGE.search(sentence))
    years = [int(y) for y in re.findall(r"(20\d\d)年", sentence)]
    return any(year > target_year for year in years) or (
        target_year < 2035 and bool(re.search(r"二[〇○零]三五年", sentence))
    )


def statements(
    text: str, kind: str, line_range: tuple[int, int], skip_lines: set[int], target_year: int | None = None
) -> list[Statement]:
    """Quantitative statements of the paragraphs whose line is within `line_range` (inclusive)."""
    first, last = line_range
    found: list[Statement] = []
    for paragraph in paragraphs(text, skip_lines):
        if not first <= paragraph.line <= last:
            continue
        lead = _LEAD_LABEL.match(paragraph.text) or _TOPIC.match(paragraph.text)
        context = lead.group(1).strip() if lead else None
        for s_start, sentence in _sentences(paragraph.text):
            if kind == "target" and _is_long_range(sentence, target_year):
                continue  # 2035 vision, not a target of this plan
            names: list[str] = []
            for c_start, clause in _clauses(sentence):
                base = s_start + c_start
                items = _level_items(clause, base, names) or _count_items(clause, base) or _bare_items(clause, base)
                for item in items:
                    name = item.name
                    if len(name) <= 3 and context:
                        name = f"{context}{name}"  # '覆盖面' means nothing without '农村亮化工程'
                    if len(name) > 30:
                        continue
                    value_text = f"{item.num}{item.unit}{item.qual or ''}"
                    found.append(
                        Statement(
                            kind=kind,
                            name_zh=name,
                            value=_number(item.num),
                            value_text=value_text,
                            unit="百分点" if item.unit == "个百分点" else item.unit,
                            comparator=_comparator(item.verb, item.qual, item.num),
                            aggregation=item.aggregation,
                            direction=-1 if _LOWER_IS_BETTER.search(name) else 1,
                            excerpt=sentence.strip(),
                            line=paragraph.line,
                            char_start=item.start,
                            char_end=item.end,
                            chapter=paragraph.chapter,
                            context=context,
                        )
                    )
                if items:
                    names = [i.name for i in items]
    return found
