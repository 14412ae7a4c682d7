"""Figures out of normalised paragraphs: every number with its label, growth, unit and the sentence it came
from; then each label mapped through the alias table.

The grammar is that of Chinese bulletins: a clause (between `,` and `;`) is "<label><predicate><number><unit>",
the predicate telling a level (为/达到/实现), a change (比上年增长/下降), a value of another year (上年为/由上年的)
or a share (占…比重). A growth clause without a label belongs to the last level before it, in the same sentence
or in the sentence just before ("…245.2亿元。按可比价格计算,比上年增长3.9%。").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.bulletins import patterns as P
from ingest.bulletins.aliases import AliasTable, MatchContext
from ingest.bulletins.model import BulletinFigure, Rejection
from ingest.bulletins.segment import Sentence, split_sentences
from ingest.bulletins.units import clean_unit, dimension, split_unit, to_float

_NON_AGGREGATE_DIMS = frozenset({"pct", "pp", "permille", "multiple"})
_SELF_WORDS = re.compile(r"全区|全县|全市|全旗|本区|本县|我区|我县")
# 城区 names where air quality is measured, not a sub-area whose scope runs on through a sentence
_WEAK_SUBAREAS = frozenset({"城区"})


@dataclass
class _Qty:
    start: int  # offsets in the sentence (or table row)
    end: int
    number: str  # digits as written (normalised), ratio text, or the damaged text
    unit: str
    sign: str = ""
    ratio: bool = False
    damaged: bool = False

    @property
    def value(self) -> Decimal | None:
        if self.ratio or self.damaged:
            return None
        return Decimal(self.sign + self.number)


@dataclass
class _Item:
    kind: str
    label: str  # cleaned label (the subject)
    raw_label: str  # the words before the number as written, for sub-area detection
    qty: _Qty
    sentence: Sentence
    paragraph: str
    basis: str | None = None
    parent: _Item | None = None
    has_parent: bool = False
    area_extra: str = ""
    growth: _Item | None = None  # on a level: its annual growth
    level: _Item | None = None  # on a growth: the level it belongs to
    change_words: str = ""
    other_year: int | None = None
    fen: bool = False  # starts a 分别 list
    negative: bool = False  # 下降/减少/回落…
    approx: bool = False  # 突破/超过/约/近 … or 余/多/左右/以上: a rounded statement of the figure
    table_context: str | None = None  # for a table row: the table's title and first row
    heading: str = ""  # the section heading above the paragraph (四、卫生 …)
    metric_key: str | None = None  # set when the figures are built
    subject_key: str | None = None  # for a growth: the key of the level it is the growth of

    @property
    def value(self) -> Decimal | None:
        value = self.qty.value
        if value is not None and self.kind in ("growth", "growth_other", "change", "pp_change") and self.negative:
            value = -abs(value)
        return value

    @property
    def abs_start(self) -> int:
        return self.sentence.start + self.qty.start

    @property
    def abs_end(self) -> int:
        return self.sentence.start + self.qty.end

    @property
    def is_aggregate(self) -> bool:
        """A total that a following 其中/分产业看 can break down."""
        return (
            self.kind == "level"
            and not self.qty.ratio
            and dimension(clean_unit(self.qty.unit)) not in _NON_AGGREGATE_DIMS
            and "人均" not in self.label
            and not self.label.startswith("每")
        )

    @property
    def can_take_growth(self) -> bool:
        """A level in money, people, tonnes … (per capita too); not a rate, whose change is in points."""
        if self.kind != "level" or self.qty.ratio:
            return False
        return self.qty.damaged or dimension(clean_unit(self.qty.unit)) not in _NON_AGGREGATE_DIMS


@dataclass
class _ParagraphState:
    last_level: _Item | None = None
    last_aggregate: _Item | None = None
    last_list: list[_Item] = field(default_factory=list)
    group: int = 0
    group_parent: _Item | None = None
    group_has_scope: bool = False


@dataclass
class _TableState:
    roles: list[str] | None = None
    units: list[str] | None = None
    first_row: _Item | None = None


@dataclass
class _DocState:
    document_id: str
    region_zh: str | None
    year: int | None
    aliases: AliasTable
    last_item: _Item | None = None
    heading_area: str = ""
    heading_text: str = ""
    items: list[_Item] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


# ---- scanning numbers ------------------------------------------------------------------------------------------


def scan_numbers(text: str) -> list[_Qty]:
    """Numbers with a unit, ratios and damaged numbers in `text`, in order. A bare number is kept only inside a
    list whose last member has the unit (分别为41.0、38.6和170.4亿元)."""
    taken = bytearray(len(text))
    found: list[_Qty] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(q: _Qty) -> None:
        taken[q.start : q.end] = b"\x01" * (q.end - q.start)
        found.append(q)

    for m in P.DAMAGED.finditer(text):
        chunk = m.group(0)
        if chunk and ("?" in chunk or "\ufffd" in chunk) and (re.search(r"\d", chunk) or m.group("unit")):
            take(_Qty(m.start(), m.end(), chunk, m.group("unit") or "", damaged=True))
    for m in P.RATIO.finditer(text):
        if free(m.start(), m.end()):
            take(_Qty(m.start(), m.end(), m.group(0), "", ratio=True))
    bare: list[_Qty] = []
    for m in P.NUMBER.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.start() > 0 and text[m.start() - 1] in P.ORDINAL_BEFORE and not m.group("sign"):
            continue
        q = _Qty(m.start(), m.end(), m.group("num"), m.group("unit") or "", sign=m.group("sign") or "")
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


def _depths(text: str) -> list[int]:
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


def _clause_start(text: str, depths: list[int], pos: int) -> int:
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


def _enclosing_bracket(text: str, depths: list[int], pos: int) -> str | None:
    d = depths[pos]
    if d == 0:
        return None
    start = text.rfind("(", 0, pos)
    end = text.find(")", pos)
    return text[start + 1 : end if end >= 0 else len(text)]


_PARENS = re.compile(r"\([^()]*\)")


def _drop_notes(text: str) -> str:
    """Brackets holding a scope note, a definition or a number are not part of a label."""
    return _PARENS.sub(lambda m: "" if P.NOTE_CONTENT.search(m.group(0)) else m.group(0), text)


def strip_brackets(text: str) -> str:
    return _PARENS.sub("", text)


# ---- labels ---------------------------------------------------------------------------------------------------


def clean_label(raw: str, region_zh: str | None) -> str:
    """`全年实现地区生产总值` → `地区生产总值`: when/where words and verbs out, the thing measured kept."""
    text = _drop_notes(raw).replace(" ", "").strip(",;:、")
    prefixes = ["重庆市"]
    if region_zh:
        prefixes += [region_zh, region_zh[:-1] if len(region_zh) > 2 else region_zh]
        if region_zh.endswith("市"):
            prefixes.append("全市")
    for _ in range(4):
        before = text
        for prefix in prefixes:
            text = text.removeprefix(prefix)
        text = P.LEAD.sub("", text).lstrip(",:、")
        if text == before:
            break
    text = P.MID_VERBS.sub("", text)
    text = P.LEVEL_TAIL.sub("", text)
    return text.strip(",;:、的")


def distribute_labels(subject: str, n: int) -> list[str] | None:
    """`城镇、农村常住居民人均可支配收入` with 2 values → the two full labels; `一、二、三产业增加值` → three.
    None when the list does not have `n` members."""
    parts = [p for p in re.split(r"、|和|与|及|以及", subject) if p]
    if len(parts) != n or n < 2:
        return None
    parts = ["第" + p if re.match(r"^[一二三](?:产|$)", p) else p for p in parts]  # 一、二、三产业 → 第一产业…
    last, sibling = parts[-1], parts[-2]
    if len(last) > len(sibling):
        head = last[len(sibling) :]
        return [p + head for p in parts[:-1]] + [parts[-1]]
    return parts


# ---- the sentence grammar --------------------------------------------------------------------------------------


@dataclass
class _Reading:
    kind: str
    subject: str  # raw words naming the thing
    basis: str | None = None
    negative: bool = False
    fen: bool = False
    change_words: str = ""
    other_year: int | None = None
    approx: bool = False


def read_predicate(left: str, unit: str, year: int | None, ratio: bool = False) -> _Reading:
    """What the words right before a number say about it."""
    m = P.PREVIOUS.search(left)
    if m and not (m.group("year") and year is not None and int(m.group("year")) == year):
        subject = left[: m.start()]
        cut = subject.rfind("由")
        subject = subject[:cut] if cut >= 0 else subject
        other = int(m.group("year")) if m.group("year") else (year - 1 if year else None)
        return _Reading("previous", subject, other_year=other)
    m = P.CHANGE.search(left)
    if m and (m.group("verb") not in P.CMP_ONLY_VERBS or m.group("cmp")):
        subject = left[: m.start()]
        cmp = m.group("cmp") or ""
        verb = m.group("verb")
        words = cmp + (m.group("kb") or "") + verb
        dim = dimension(clean_unit(unit))
        if dim == "pct":
            kind = "growth"
            other_base = re.search(r"(\d{4})年", cmp)
            if (other_base and (year is None or int(other_base.group(1)) != year - 1)) or "五" in cmp:
                kind = "growth_other"
            if P.AVERAGE.search(subject):
                kind = "growth_other"
        elif dim == "pp":
            kind = "pp_change"
        else:
            kind = "change"
        if P.CONTRIBUTION.search(subject) and kind == "growth":
            kind = "growth_other"
        basis = words if (cmp or m.group("kb")) else None
        return _Reading(kind, subject, basis, verb in P.DOWN_VERBS, bool(m.group("fen") or m.group("fen2")), words)
    tail = P.LEVEL_TAIL.search(left)
    subject = left[: tail.start()] if tail else left
    fen = bool(tail and "分别" in tail.group(0))
    named = re.search(r"(\d{4})年", subject)
    if named and year is not None and int(named.group(1)) != year:
        return _Reading("previous", subject, other_year=int(named.group(1)))  # "2022年全区生产总值经修订为…"
    if ratio:
        return _Reading("ratio", subject, fen=fen)
    if dimension(clean_unit(unit)) == "pct" and not P.CONTRIBUTION.search(subject):
        suffix = P.GROWTH_SUFFIX.search(subject)
        if suffix:
            base = subject[: suffix.start()]
            kind = "growth_other" if P.AVERAGE.search(base) else "growth"
            return _Reading(kind, base, fen=fen)
    approx = bool(tail and P.APPROX_BEFORE.search(tail.group(0)))
    return _Reading("level", subject, fen=fen, approx=approx)


def _colon_topic(text: str) -> str:
    """`开发区:实现规模以上工业总产值…` → `开发区` (a topic that names where the following figures belong)."""
    m = re.match(r"^([^,;:\d]{1,15}):(?!\d)", text)
    return m.group(1) if m else ""


def _items_of_sentence(
    sentence: Sentence, paragraph: str, text: str, doc: _DocState, para: _ParagraphState
) -> list[_Item]:
    qtys = scan_numbers(text)
    if not qtys:
        return []
    depths = _depths(text)
    if sentence.group != para.group:
        para.group = sentence.group
        para.group_parent = None
        para.group_has_scope = False
    sentence_parent: _Item | None = None
    sentence_has_scope = False
    clause_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in ",;:" and depths[i] == 0]
    marker_iter = iter(m for m in clause_starts if P.BREAKDOWN.match(text[m:].lstrip()))
    next_marker = next(marker_iter, None)
    topic = _colon_topic(text)
    items: list[_Item] = []
    prev_in_clause: _Item | None = None
    prev_clause_start = -1
    sentence_area = ""
    pending_list: list[_Item] = []
    for q in qtys:
        while next_marker is not None and next_marker <= q.start:
            parent = para.last_aggregate
            if not para.group_has_scope:
                para.group_parent, para.group_has_scope = parent, True
            else:
                sentence_parent, sentence_has_scope = parent, True
            next_marker = next(marker_iter, None)
        bracket = _enclosing_bracket(text, depths, q.start)
        if bracket is not None and P.SCOPE_NOTE.search(bracket):
            continue  # a number inside a scope note defines the scope; it is not a figure
        clause_start = _clause_start(text, depths, q.start)
        same_clause = prev_in_clause is not None and clause_start == prev_clause_start
        start = max(clause_start, prev_in_clause.qty.end) if same_clause and prev_in_clause else clause_start
        left = _drop_notes(text[start : q.start]).replace(" ", "")
        # a member of a 分别 list: same reading as the list's first member, label from the list
        if pending_list and same_clause and P.LIST_JOIN.match(text[pending_list[-1].qty.end : q.start] or "、"):
            first = pending_list[0]
            item = _Item(
                first.kind,
                first.label,
                first.raw_label,
                q,
                sentence,
                paragraph,
                basis=first.basis,
                negative=first.negative,
                change_words=first.change_words,
                area_extra=first.area_extra,
            )
            pending_list.append(item)
        else:
            if pending_list:
                _close_list(pending_list, para, doc)
                pending_list = []
            reading = read_predicate(left, q.unit, doc.year, ratio=q.ratio)
            raw = reading.subject
            label = clean_label(raw, doc.region_zh)
            if (
                not label
                and same_clause
                and prev_in_clause is not None
                and reading.kind in ("level", "previous", "ratio")
            ):
                label, raw = prev_in_clause.label, prev_in_clause.raw_label
            item = _Item(
                reading.kind,
                label,
                raw,
                q,
                sentence,
                paragraph,
                basis=reading.basis,
                negative=reading.negative,
                change_words=reading.change_words,
                other_year=reading.other_year,
                fen=reading.fen,
                approx=reading.approx or q.unit[:1] in ("余", "多") or text[q.end :].startswith(P.APPROX_AFTER),
            )
            # a sub-area named earlier in the sentence ("濯水镇接待游客…,旅游综合收入…") scopes the clauses after
            # it, until the sentence names the whole region again
            if _SELF_WORDS.search(raw):
                sentence_area = ""
            item.area_extra = doc.heading_area + topic + sentence_area
            item.heading = doc.heading_text
            sentence_area += "".join(sorted(doc.aliases.subareas_in(raw) - _WEAK_SUBAREAS))
            if reading.fen:
                pending_list = [item]
        if sentence_has_scope:
            item.parent, item.has_parent = sentence_parent, True
        elif para.group_has_scope:
            item.parent, item.has_parent = para.group_parent, True
        if item.kind == "growth":
            item.basis = _basis_before(paragraph, sentence.start + q.start) or item.basis
        if q.damaged:
            doc.rejections.append(
                Rejection(
                    _locator(doc.document_id, item),
                    sentence.text,
                    f"number damaged by encoding errors: {q.number!r}; fix the file's encoding, do not guess",
                )
            )
        elif "\ufffd" in item.label:
            doc.rejections.append(
                Rejection(
                    _locator(doc.document_id, item),
                    sentence.text,
                    f"label damaged by encoding errors: {item.label!r}; fix the file's encoding",
                )
            )
            item.qty.damaged = True
        if not item.fen and not (pending_list and item in pending_list):
            _settle(item, para, doc, first_in_sentence=not items)
        items.append(item)
        prev_in_clause, prev_clause_start = item, clause_start
    if pending_list:
        _close_list(pending_list, para, doc)
    return items


def _basis_before(paragraph: str, pos: int) -> str | None:
    """按可比价格计算 said earlier in the same full-stop sentence, or in the one before when the growth opens
    its sentence ("…245.2亿元。按可比价格计算,比上年增长3.9%。")."""
    text = paragraph[:pos]
    cut = max(text.rfind("。"), text.rfind("!"))
    found = P.GROWTH_BASIS.findall(text[cut + 1 :])
    return found[-1] if found else None


def _close_list(members: list[_Item], para: _ParagraphState, doc: _DocState) -> None:
    """Label the members of a 分别 list and attach growth lists to the level list before them."""
    first = members[0]
    labels = distribute_labels(first.label, len(members))
    if first.kind == "growth" and not first.label:
        targets = para.last_list if len(para.last_list) == len(members) else []
        for member, target in zip(members, targets, strict=False):
            _attach(member, target)
        if not targets:
            for member in members:
                member.label = ""
    else:
        for i, member in enumerate(members):
            # without a matching list of names the members cannot be told apart: keep them unmapped
            member.label = labels[i] if labels else f"{first.label}[{i + 1}]"
            member.raw_label = first.raw_label
    for member in members:
        member.parent, member.has_parent = first.parent, first.has_parent
        if member.kind == "level":
            para.last_level = member
            if member.is_aggregate:
                para.last_aggregate = member
        doc.last_item = member
    if first.kind == "level":
        para.last_list = list(members)


def _attach(growth: _Item, level: _Item) -> None:
    if level.growth is None:
        level.growth = growth
    growth.level = level
    growth.label = level.label
    growth.raw_label = level.raw_label
    growth.parent, growth.has_parent = level.parent, level.has_parent
    growth.area_extra = level.area_extra


def _settle(item: _Item, para: _ParagraphState, doc: _DocState, first_in_sentence: bool) -> None:
    """Attach a growth to its level, remember levels for what follows."""
    if item.kind == "growth":
        target = para.last_level
        previous = doc.last_item
        if target is None and previous is not None and item.sentence.index == 1 and previous.can_take_growth:
            target = previous  # the level closed the paragraph before: "…245.2亿元。\n比上年增长3.9%。"
        if target is not None and target.growth is None:
            same_sentence = target.sentence is item.sentence
            next_sentence = doc.last_item is target and first_in_sentence
            if (not item.label and (same_sentence or next_sentence)) or (
                item.label and item.label == target.label and target.sentence.group == item.sentence.group
            ):
                _attach(item, target)
        if item.level is None and item.label:
            # "地区生产总值比上年增长6.5%。按产业分,第一产业增加值增长4.1%…": a total given only by its growth
            para.last_aggregate = item
    elif item.kind in ("change", "pp_change", "growth_other", "previous") and not item.label:
        # "…52.88%,比上年末提高0.96个百分点": the change is of the figure just before, in the same sentence
        before = doc.last_item
        if before is not None and before.sentence is item.sentence and before.label:
            item.label, item.raw_label = before.label, before.raw_label
    elif item.kind == "level" and not item.qty.ratio:
        if item.can_take_growth:
            para.last_level = item
        if item.is_aggregate or item.qty.damaged:
            para.last_aggregate = item
    doc.last_item = item


def _locator(document_id: str, item: _Item) -> str:
    s = item.sentence
    return f"{document_id}:p{s.paragraph}:s{s.index}:c{item.abs_start}-{item.abs_end}"


# ---- tables -----------------------------------------------------------------------------------------------------

_NUMERIC_CELL = re.compile(r"^(?P<sign>-)?(?P<num>\d+(?:\.\d+)?)$")
_HEADER_WORDS = re.compile(
    r"指标|单位|绝对数|绝对值|数值|总量|本年|本期|全年|增长|增速|比上年|同比|比重|\d{4}年|%|金额|数量"
)
_UNIT_IN_BRACKETS = re.compile(r"\(([^()]{1,8})\)")


def _cells(row: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell of `a | b | c`."""
    out, pos = [], 0
    for part in row.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((pos + lead, part.strip()))
        pos += len(part) + 1
    return out


def _header_roles(cells: list[str], year: int | None) -> tuple[list[str], list[str]]:
    # with several year columns the statistical year's is the value (the latest when the year is unknown)
    years = [int(m.group(1)) for c in cells if (m := re.search(r"(\d{4})年", c))]
    if year is None and years:
        year = max(years)
    roles, units = [], []
    for i, cell in enumerate(cells):
        unit_match = _UNIT_IN_BRACKETS.search(cell)
        unit = unit_match.group(1) if unit_match and split_unit(unit_match.group(1))[1] else ""
        units.append(unit if unit else ("%" if cell.endswith("%") else ""))
        year_match = re.search(r"(\d{4})年", cell)
        if i == 0:
            roles.append("label")
        elif "单位" in cell:
            roles.append("unit")
        elif re.search(r"增长|增速|增减|±|同比|比上年|比去年", cell):
            roles.append("pp" if "百分点" in cell else "growth")
        elif re.search(r"比重|占|构成|结构", cell):
            roles.append("share")
        elif re.search(r"上年|去年|上期|同期", cell) or (year_match and year and int(year_match.group(1)) != year):
            roles.append("previous")
        else:
            roles.append("value")
    return roles, units


def _items_of_table_row(
    sentence: Sentence, paragraph: str, doc: _DocState, para: _ParagraphState, table: _TableState
) -> list[_Item]:
    cells = _cells(sentence.text)
    texts = [c for _, c in cells]
    numeric = [bool(_NUMERIC_CELL.match(t)) for t in texts[1:]]
    inline = any(scan_numbers(t) for t in texts[1:] if not _NUMERIC_CELL.match(t))
    if not any(numeric) and not inline:
        if sum(1 for t in texts if t) >= 2 and any(_HEADER_WORDS.search(t) for t in texts):
            table.roles, table.units = _header_roles(texts, doc.year)
            table.first_row = None
        return []
    if table.roles is not None and len(texts) < len(table.roles):
        cells += [(len(sentence.text), "")] * (len(table.roles) - len(texts))  # trailing empty cells were cut
        texts = [c for _, c in cells]
    if table.roles is None or inline or len(table.roles) != len(texts):
        # no usable header: read the row as a clause ("地区生产总值 | 245.2亿元 | 增长3.9%"); the first cell is
        # the label of the second, later cells are clauses of their own
        as_text = sentence.text.replace("|", " ", 1).replace("|", ",")
        return _items_of_sentence(sentence, paragraph, as_text, doc, para)
    raw_label = texts[0]
    unit_col = table.roles.index("unit") if "unit" in table.roles else None
    label_unit = _UNIT_IN_BRACKETS.search(raw_label)
    row_unit = texts[unit_col] if unit_col is not None else ""
    if not row_unit and label_unit and split_unit(label_unit.group(1))[1]:
        row_unit = label_unit.group(1)
        raw_label = raw_label.replace(label_unit.group(0), "")
    label = clean_label(raw_label, doc.region_zh)
    items: list[_Item] = []
    level: _Item | None = None
    for i, ((offset, text), role) in enumerate(zip(cells, table.roles, strict=True)):
        m = _NUMERIC_CELL.match(text)
        if i == 0 or not m or role not in ("value", "growth") or (role == "value" and level is not None):
            continue
        unit = (row_unit or table.units[i]) if role == "value" else "%"
        q = _Qty(offset, offset + len(text), m.group("num"), unit, sign=m.group("sign") or "")
        if role == "value":
            level = _Item(
                "level", label, raw_label, q, sentence, paragraph, area_extra=doc.heading_area, heading=doc.heading_text
            )
            items.append(level)
        elif level is not None and dimension(clean_unit(level.qty.unit)) not in _NON_AGGREGATE_DIMS:
            growth = _Item("growth", label, raw_label, q, sentence, paragraph, basis="比上年增长")
            _attach(growth, level)
            items.append(growth)
    if level is not None:
        level.table_context = doc.heading_text + (table.first_row.label if table.first_row else "")
        if table.first_row is None:
            table.first_row = level
        else:
            # the first row is the total the others may break down; only 其中/# rows say so explicitly
            level.parent, level.has_parent = table.first_row, bool(re.match(r"^(其中|#|-)", texts[0]))
        if level.growth is not None:
            level.growth.parent, level.growth.has_parent = level.parent, level.has_parent
            level.growth.table_context = level.table_context
        doc.last_item = items[-1]
    return items


# ---- the document -----------------------------------------------------------------------------------------------


def _heading_area(paragraph: str, aliases: AliasTable) -> str | None:
    """A short paragraph without figures is a heading; one naming a sub-area scopes what follows."""
    if len(paragraph) > 40 or scan_numbers(paragraph):
        return None
    return "".join(sorted(aliases.subareas_in(paragraph)))


def extract_items(
    paragraphs: list[str], document_id: str, region_zh: str | None, year: int | None, aliases: AliasTable
) -> _DocState:
    doc = _DocState(document_id, region_zh, year, aliases)
    table = _TableState()
    for p_no, paragraph in enumerate(paragraphs, start=1):
        heading = _heading_area(paragraph, aliases)
        if heading is not None and "|" not in paragraph:
            doc.heading_area, doc.heading_text = heading, paragraph
            continue
        para = _ParagraphState()
        sentences = split_sentences(paragraph, p_no)
        if not (sentences and sentences[0].is_table_row):
            table = _TableState()
        for sentence in sentences:
            if sentence.is_table_row:
                doc.items.extend(_items_of_table_row(sentence, paragraph, doc, para, table))
            else:
                doc.items.extend(_items_of_sentence(sentence, paragraph, sentence.text, doc, para))
    return doc


def _topic(aliases: AliasTable, text: str) -> str | None:
    best, where = None, -1
    for word in aliases.topic_words:
        pos = text.rfind(word)
        if pos > where:
            best, where = word, pos
    return best


def _context(item: _Item, aliases: AliasTable) -> MatchContext:
    paragraph_prefix = item.paragraph[: item.abs_start]
    cut = max(paragraph_prefix.rfind("。"), paragraph_prefix.rfind("!"))
    group_prefix = paragraph_prefix[cut + 1 :]
    if item.table_context is not None:
        group_prefix = item.table_context + group_prefix
    return MatchContext(
        parent_key=_parent_key(item.parent),
        has_parent=item.has_parent,
        group_prefix=group_prefix,
        paragraph_prefix=item.heading + "\n" + paragraph_prefix,
        topic=_topic(aliases, paragraph_prefix),
        area_text=item.raw_label + item.area_extra,
    )


def _parent_key(parent: _Item | None) -> str | None:
    if parent is None:
        return None
    return parent.subject_key if parent.kind == "growth" else parent.metric_key


def _variants(label: str) -> tuple[str, ...]:
    """The label, without its brackets, and what a bracket names: "占常住人口比重(常住人口城镇化率)"."""
    bare = strip_brackets(label)
    inner = tuple(m.group(0)[1:-1] for m in _PARENS.finditer(label))
    return (label, bare, *inner) if bare != label else (label,)


def _display_label(item: _Item) -> str:
    if item.kind == "growth":
        return f"{item.label}增速" if item.label else "增速"
    if item.kind in ("change", "pp_change", "growth_other") and item.change_words:
        return f"{item.label}({item.change_words})"
    if item.kind == "previous":
        return f"{item.label}({item.other_year}年)" if item.other_year else f"{item.label}(上年)"
    return item.label


def _map(item: _Item, aliases: AliasTable, region_zh: str | None) -> tuple[str | None, Decimal | None, str]:
    """(metric key, value in its unit, unit) of one item; key None when unmapped."""
    value, unit = item.value, clean_unit(item.qty.unit)
    if item.kind == "level" and value is not None and item.label:
        found = aliases.resolve(_variants(item.label), _context(item, aliases), region_zh, unit, value)
        if found and found[0].key:
            return found[0].key, found[1], found[0].unit or unit
    elif item.kind == "growth" and value is not None and item.label:
        subject = item.level if item.level is not None else item
        found = aliases.resolve(_variants(item.label), _context(subject, aliases), region_zh, None, None)
        item.subject_key = found[0].key if found else None
        if found and found[0].growth_key:
            return found[0].growth_key, value, "%"
    return None, value, unit


def _winners(mapped: list[tuple[_Item, str | None, Decimal | None, str]]) -> dict[str, Decimal | None]:
    """One value per key and document: an exact figure beats a rounded one (突破260亿元, 1500余万元), then the
    first one said wins."""
    winners: dict[str, tuple[bool, Decimal | None]] = {}
    for item, key, value, _ in mapped:
        if key is not None and (key not in winners or (winners[key][0] and not item.approx)):
            winners[key] = (item.approx, value)
    return {key: value for key, (_, value) in winners.items()}


def build_figures(doc: _DocState, aliases: AliasTable, period: str) -> list[BulletinFigure]:
    """Map each item through the alias table and write the figures. A document never gives two values of a
    key: a figure whose value differs from the key's chosen one is kept, unmapped."""
    mapped = []
    for item in doc.items:
        if not item.qty.damaged:
            key, value, unit = _map(item, aliases, doc.region_zh)
            item.metric_key = key  # a later breakdown looks up its parent's key
            mapped.append((item, key, value, unit))
    chosen = _winners(mapped)
    figures: list[BulletinFigure] = []
    for item, key, value, unit in mapped:
        if key is not None and chosen[key] != value:
            key = None
        growth = item.growth if item.kind == "level" else None
        figures.append(
            BulletinFigure(
                region_zh=doc.region_zh,
                year=doc.year,
                period=period,
                metric_key=key,
                label_zh=_display_label(item),
                value=to_float(value) if value is not None else None,
                unit=unit if not item.qty.ratio else "比例",
                raw_value_text=item.qty.sign + item.qty.number,
                raw_unit=item.qty.unit,
                growth_pct=to_float(growth.value) if growth is not None and growth.value is not None else None,
                growth_basis=growth.basis if growth is not None else (None if item.kind == "level" else item.basis),
                locator=_locator(doc.document_id, item),
                excerpt=item.sentence.text,
                kind=item.kind,
            )
        )
    return figures
