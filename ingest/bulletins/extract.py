"""Figures out of normalised paragraphs: every number with its label, growth, unit and the sentence it came
from; then each label mapped through the alias table.

The grammar is that of Chinese bulletins: a clause (between `,` and `;`) is "<label><predicate><number><unit>",
the predicate telling a level (为/达到/实现), a change (比上年增长/下降), a value of another year (上年为/由上年的)
or a share (占…比重). A growth clause without a label belongs to the last level before it, in the same sentence
or in the sentence just before ("…245.2亿元。按可比价格计算,比上年增长3.9%。").

Numbers and labels as written are read in `scan`, table rows in `tables`; the records built are in `items`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ingest.bulletins import patterns as P
from ingest.bulletins.aliases import AliasTable, MatchContext
from ingest.bulletins.items import NON_AGGREGATE_DIMS, DocState, Item, ParagraphState, attach, locator
from ingest.bulletins.model import BulletinFigure, Rejection
from ingest.bulletins.scan import (
    PARENS,
    bracket_depths,
    clause_start_of,
    clean_label,
    distribute_labels,
    drop_notes,
    enclosing_bracket,
    scan_numbers,
    strip_brackets,
)
from ingest.bulletins.segment import Sentence, split_sentences
from ingest.bulletins.tables import TableState, items_of_table_row
from ingest.bulletins.units import clean_unit, dimension, to_float

_SELF_WORDS = re.compile(r"全区|全县|全市|全旗|本区|本县|我区|我县")
# 城区 names where air quality is measured, not a sub-area whose scope runs on through a sentence
_WEAK_SUBAREAS = frozenset({"城区"})


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
    named_year: bool = False  # other_year was written as a year (2022年), not as 上年
    of_growth: bool = False
    relative: bool = False


def read_predicate(left: str, unit: str, year: int | None, ratio: bool = False) -> _Reading:
    """What the words right before a number say about it."""
    m = P.PREVIOUS.search(left)
    if m and not (m.group("year") and year is not None and int(m.group("year")) == year):
        subject = left[: m.start()]
        cut = subject.rfind("由")
        # "为上年的95.2%", "恢复到2019年的92.3%": a share of that year's value; "由上年的51.9%提高到…": the value
        by = cut >= 0 or m.group(0).startswith("由")
        relative = m.group(0).endswith("的") and not by and dimension(clean_unit(unit)) == "pct"
        subject = subject[:cut] if cut >= 0 else subject
        other = int(m.group("year")) if m.group("year") else (year - 1 if year else None)
        return _Reading("previous", subject, other_year=other, named_year=bool(m.group("year")), relative=relative)
    m = P.PREVIOUS_GROWTH.search(left)
    if m and dimension(clean_unit(unit)) == "pct":
        other = year - 1 if year else None
        return _Reading("previous", left[: m.start()], negative=bool(m.group("down")), other_year=other, of_growth=True)
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
        # "2022年全区生产总值经修订为…"
        return _Reading("previous", subject, other_year=int(named.group(1)), named_year=True)
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
    sentence: Sentence, paragraph: str, text: str, doc: DocState, para: ParagraphState
) -> list[Item]:
    qtys = scan_numbers(text)
    if not qtys:
        return []
    depths = bracket_depths(text)
    if sentence.group != para.group:
        para.group = sentence.group
        para.group_parent = None
        para.group_has_scope = False
        para.group_year = None
        para.breakdown_of = None
        para.group_levels = []
        date = P.SENTENCE_DATE.match(text)
        date_year = int(date.group("year") or date.group("census_year")) if date else None
        if date_year is not None and doc.year is not None and date_year != doc.year:
            para.group_year = date_year
    sentence_parent: Item | None = None
    sentence_has_scope = False
    clause_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in ",;:" and depths[i] == 0]
    marker_iter = iter(m for m in clause_starts if P.BREAKDOWN.match(text[m:].lstrip()))
    next_marker = next(marker_iter, None)
    topic = _colon_topic(text)
    items: list[Item] = []
    prev_in_clause: Item | None = None
    prev_clause_start = -1
    sentence_area = ""
    pending_list: list[Item] = []
    for q in qtys:
        while next_marker is not None and next_marker <= q.start:
            opening = para.last_aggregate is None and para.last_level is None  # nothing said yet in this paragraph
            parent = para.last_aggregate or (doc.previous_aggregate if opening else None)
            # what the breakdown's words may complete: the total, or a per-capita figure (人均可支配收入)
            para.breakdown_of = para.last_aggregate or para.last_level
            # a breakdown of the sentence's first total runs on through its ;-parts; one of a later figure
            # ("…第二产业增加值76.85亿元,其中,工业增加值62.5亿元;第三产业…") ends with its own part
            of_first = parent is None or not para.group_levels or para.group_levels[0] is parent
            if not para.group_has_scope and of_first:
                para.group_parent, para.group_has_scope = parent, True
            else:
                sentence_parent, sentence_has_scope = parent, True
            next_marker = next(marker_iter, None)
        bracket = enclosing_bracket(text, depths, q.start)
        if bracket is not None and P.SCOPE_NOTE.search(bracket):
            continue  # a number inside a scope note defines the scope; it is not a figure
        clause_start = clause_start_of(text, depths, q.start)
        same_clause = prev_in_clause is not None and clause_start == prev_clause_start
        start = max(clause_start, prev_in_clause.qty.end) if same_clause and prev_in_clause else clause_start
        left = drop_notes(text[start : q.start]).replace(" ", "")
        # a member of a 分别 list: same reading as the list's first member, label from the list
        if pending_list and same_clause and P.LIST_JOIN.match(text[pending_list[-1].qty.end : q.start] or "、"):
            first = pending_list[0]
            item = Item(
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
            if reading.kind == "previous" and reading.named_year:
                para.group_year = reading.other_year
            elif reading.kind == "level" and para.group_year and not P.CURRENT_YEAR_WORDS.search(raw):
                # "2022年全县地区生产总值修订为398.62亿元,第一产业增加值修订为62.15亿元": the year runs on
                reading.kind, reading.other_year = "previous", para.group_year
            label = clean_label(raw, doc.own_words, doc.aliases.knows_label)
            if label and items and not doc.aliases.knows_label(label):
                label = _with_head_of(items[-1].label, label, doc)
            if (
                reading.kind == "level"
                and (label in _TOTAL_WORDS or (not label and not same_clause))
                and items
                and items[-1].label
                and (label or (items[-1].kind == "growth" and items[-1].level is None))
            ):
                # "地区生产总值比上年增长5.1%,总量达到71.25亿元"; "规模以上工业产值增长11.2%,达到236.52亿元"
                label = items[-1].label
            if (
                not label
                and same_clause
                and prev_in_clause is not None
                and reading.kind in ("level", "previous", "ratio")
            ):
                label, raw = prev_in_clause.label, prev_in_clause.raw_label
            item = Item(
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
                of_growth=reading.of_growth,
                relative=reading.relative,
                fen=reading.fen,
                approx=reading.approx or q.unit[:1] in ("余", "多") or text[q.end :].startswith(P.APPROX_AFTER),
                bound=bool(P.BOUND_AFTER.match(text[q.end :])),
                in_brackets=depths[q.start] > 0,
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
        whole = item.parent or para.breakdown_of
        if item.has_parent and whole is not None and item.label and not item.fen:
            # "全体居民人均可支配收入22156元;其中,城镇居民36215元": the breakdown names only what differs
            item.label = _completed_by_parent(item.label, whole.label, doc)
        if item.kind == "growth":
            item.basis = _basis_before(paragraph, sentence.start + q.start) or item.basis
        if q.damaged:
            doc.rejections.append(
                Rejection(
                    locator(doc.document_id, item),
                    sentence.text,
                    f"number damaged by encoding errors: {q.number!r}; fix the file's encoding, do not guess",
                )
            )
        elif "\ufffd" in item.label:
            doc.rejections.append(
                Rejection(
                    locator(doc.document_id, item),
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


_TOTAL_WORDS = frozenset({"总量", "总额", "总值", "总规模", "规模"})


def _completed_by_parent(label: str, parent: str, doc: DocState) -> str:
    """A breakdown's label completed by the end of its total's label when that makes a known label (城镇居民 under
    全体居民人均可支配收入 → 城镇居民人均可支配收入); otherwise as it is."""
    if not parent or doc.aliases.knows_label(label):
        return label
    for k in range(1, len(parent)):
        tail = parent[k:]
        for overlap in range(min(len(label), len(tail)) - 1, -1, -1):
            if label.endswith(tail[:overlap]) and doc.aliases.knows_label(label[: len(label) - overlap] + tail):
                return label[: len(label) - overlap] + tail
    return label


def _with_head_of(before: str, label: str, doc: DocState) -> str:
    """A clause naming only what differs from the clause before ("全年粮食播种面积68.35万亩,产量23.56万吨";
    "规上工业企业42家,实现总产值36.52亿元"): the earlier label's head completes it when that makes a known label."""
    for k in range(len(before) - 1, 0, -1):
        if doc.aliases.knows_label(before[:k] + label):
            return before[:k] + label
    return label


def _basis_before(paragraph: str, pos: int) -> str | None:
    """按可比价格计算 said earlier in the same full-stop sentence, or in the one before when the growth opens
    its sentence ("…245.2亿元。按可比价格计算,比上年增长3.9%。")."""
    text = paragraph[:pos]
    cut = max(text.rfind("。"), text.rfind("!"))
    found = P.GROWTH_BASIS.findall(text[cut + 1 :])
    return found[-1] if found else None


def _close_list(members: list[Item], para: ParagraphState, doc: DocState) -> None:
    """Label the members of a 分别 list and attach growth lists to the level list before them."""
    first = members[0]
    labels = distribute_labels(first.label, len(members), doc.aliases.knows_label)
    if first.kind == "growth" and not first.label:
        targets = para.last_list if len(para.last_list) == len(members) else []
        if not targets:
            # "第一产业增加值12.78亿元,第二产业…824.37亿元,第三产业…433.24亿元,分别增长4.6%、2.8%和6.9%": the levels
            # just before in the same sentence, one growth each
            recent = para.group_levels[-len(members) :]
            if len(recent) == len(members) and all(r.label and r.growth is None for r in recent):
                targets = recent
        for member, target in zip(members, targets, strict=False):
            attach(member, target)
        if not targets:
            for member in members:
                member.label = ""
    else:
        # a sub-area named in a later member scopes that member only ("森林覆盖率和城区空气质量优良天数"); one
        # named with the first member scopes the whole list ("濯水镇接待游客和旅游综合收入")
        own_words = [w for w in re.split(r"、|和|与|及|以及", first.label) if w][1:] if labels else []
        raw = first.raw_label
        for i, member in enumerate(members):
            # without a matching list of names the members cannot be told apart: keep them unmapped
            member.label = labels[i] if labels else f"{first.label}[{i + 1}]"
            member.raw_label = raw
            for j, words in enumerate(own_words, start=1):
                if j != i:
                    member.raw_label = member.raw_label.replace(words, "")
    for member in members:
        member.parent, member.has_parent = first.parent, first.has_parent
        if member.kind == "level":
            para.last_level = member
            if member.is_aggregate:
                para.last_aggregate = member
        doc.last_item = member
    if first.kind == "level":
        para.last_list = list(members)


def _settle(item: Item, para: ParagraphState, doc: DocState, first_in_sentence: bool) -> None:
    """Attach a growth to its level, remember levels for what follows."""
    if item.kind == "growth":
        target = para.last_level
        if target is not None and target.in_brackets and not item.in_brackets:
            target = para.outer_level  # "人均GDP为72635元(按年平均汇率折算为10976美元),增长7.6%"
        previous = doc.last_item
        if target is None and previous is not None and item.sentence.index == 1 and previous.can_take_growth:
            target = previous  # the level closed the paragraph before: "…245.2亿元。\n比上年增长3.9%。"
        if target is not None and target.growth is None:
            same_sentence = target.sentence is item.sentence
            next_sentence = doc.last_item is target and first_in_sentence
            if (not item.label and (same_sentence or next_sentence)) or (
                item.label and item.label == target.label and target.sentence.group == item.sentence.group
            ):
                attach(item, target)
        if item.level is None and item.label:
            # "地区生产总值比上年增长6.5%。按产业分,第一产业增加值增长4.1%…": a total given only by its growth
            para.last_aggregate = item
    elif (
        item.kind == "previous"
        and item.label
        and para.group_year is not None
        and item.other_year == para.group_year
        and dimension(clean_unit(item.qty.unit)) not in NON_AGGREGATE_DIMS
    ):
        # "2023年…普查结果:生产总值296.80亿元,其中:第一产业增加值…": a total of that year, broken down after it
        para.last_aggregate = item
    elif item.kind in ("change", "pp_change", "growth_other", "previous") and not item.label:
        # "…52.88%,比上年末提高0.96个百分点": the change is of the figure just before, in the same sentence
        before = doc.last_item
        if before is not None and before.sentence is item.sentence and before.label:
            item.label, item.raw_label = before.label, before.raw_label
            if item.kind == "previous" and before.kind == "growth" and dimension(clean_unit(item.qty.unit)) == "pct":
                item.of_growth = True  # "增长6.8%(上年为4.2%)"
    elif item.kind == "level" and not item.qty.ratio:
        before = doc.last_item
        if (
            before is not None
            and before.kind == "growth"
            and before.level is None
            and before.sentence is item.sentence
            and before.label == item.label
            and item.can_take_growth
        ):
            attach(before, item)  # the growth said first: "…比上年增长5.1%,总量达到71.25亿元"
        if item.in_brackets and para.last_level is not None and not para.last_level.in_brackets:
            para.outer_level = para.last_level  # a side note: what follows the bracket is about the figure before
        if item.can_take_growth:
            para.last_level = item
            para.group_levels.append(item)
        # a part named by its sub-area (其中区本级227.25亿元) is not the total that a later breakdown divides
        if (item.is_aggregate or item.qty.damaged) and not doc.aliases.subareas_in(item.raw_label):
            para.last_aggregate = item
    doc.last_item = item


def _heading_area(paragraph: str, aliases: AliasTable) -> str | None:
    """A short paragraph without figures is a heading; one naming a sub-area scopes what follows."""
    if len(paragraph) > 40 or scan_numbers(paragraph):
        return None
    return "".join(sorted(aliases.subareas_in(paragraph)))


def _self_word(paragraphs: list[str]) -> str | None:
    """The word a text uses most for its whole region (全盟, 全市 …), when no region is known."""
    counts = Counter(m.group(0) for p in paragraphs for m in P.SELF_WORD.finditer(p))
    return counts.most_common(1)[0][0] if counts else None


def extract_items(
    paragraphs: list[str], document_id: str, region_zh: str | None, year: int | None, aliases: AliasTable
) -> DocState:
    doc = DocState(document_id, region_zh, year, aliases)
    doc.own_words = region_zh or _self_word(paragraphs)
    table = TableState()
    for p_no, paragraph in enumerate(paragraphs, start=1):
        if P.SECTION_START.match(paragraph):
            doc.section = "body"
            doc.previous_aggregate = None
        elif P.NOTES_START.match(paragraph):
            doc.section = "notes"
        n_items = len(doc.items)
        heading = _heading_area(paragraph, aliases)
        if heading is not None and "|" not in paragraph:
            doc.heading_area, doc.heading_text = heading, paragraph
            continue
        para = ParagraphState()
        sentences = split_sentences(paragraph, p_no)
        if not (sentences and sentences[0].is_table_row):
            table = TableState()
        for sentence in sentences:
            if sentence.is_table_row:
                doc.items.extend(items_of_table_row(sentence, paragraph, doc, para, table, _items_of_sentence))
            else:
                doc.items.extend(_items_of_sentence(sentence, paragraph, sentence.text, doc, para))
        for item in doc.items[n_items:]:
            item.section = doc.section
        if len(doc.items) > n_items:
            doc.previous_aggregate = para.last_aggregate
    return doc


def _topic(aliases: AliasTable, text: str) -> str | None:
    best, where = None, -1
    for word in aliases.topic_words:
        pos = text.rfind(word)
        if pos > where:
            best, where = word, pos
    return best


def _context(item: Item, aliases: AliasTable) -> MatchContext:
    paragraph_prefix = item.paragraph[: item.abs_start]
    cut = max(paragraph_prefix.rfind("。"), paragraph_prefix.rfind("!"))
    group_prefix = paragraph_prefix[cut + 1 :]
    if item.table_context is not None:
        group_prefix = item.table_context + group_prefix
    return MatchContext(
        parent_key=_row_parent_key(item, aliases) if item.rows_above is not None else _parent_key(item.parent),
        has_parent=item.has_parent,
        group_prefix=group_prefix,
        paragraph_prefix=item.heading + "\n" + paragraph_prefix,
        topic=_topic(aliases, paragraph_prefix),
        area_text=item.raw_label + item.area_extra,
    )


def _parent_key(parent: Item | None) -> str | None:
    if parent is None:
        return None
    return parent.subject_key if parent.kind == "growth" else parent.metric_key


def _row_parent_key(item: Item, aliases: AliasTable) -> str | None:
    """The key of the total a table row may break down: the nearest row above that is neither an explicit
    breakdown (#/其中) nor a component mapped as such (第二产业 under 地区生产总值); a row the alias table knows
    without a key (固定资产投资) is a total too, whose components are not the region's (its 第一产业 is
    investment). Rows the table does not know (工业, 建筑业) are passed over."""
    for row in item.rows_above or ():
        if row.has_parent or row.keyed_by_parent:
            continue
        key = _parent_key(row)
        if key is not None:
            return key
        if aliases.knows_label(row.label):
            return None
    return None


@lru_cache(maxsize=8192)
def _variants(label: str) -> tuple[str, ...]:
    """The label, without its brackets, and what a bracket names: "占常住人口比重(常住人口城镇化率)"."""
    bare = strip_brackets(label)
    inner = tuple(m.group(0)[1:-1] for m in PARENS.finditer(label))
    return (label, bare, *inner) if bare != label else (label,)


def _display_label(item: Item) -> str:
    if item.kind == "growth":
        return f"{item.label}增速" if item.label else "增速"
    if item.kind in ("change", "pp_change", "growth_other") and item.change_words:
        return f"{item.label}({item.change_words})"
    if item.kind == "previous":
        return f"{item.label}({item.other_year}年)" if item.other_year else f"{item.label}(上年)"
    return item.label


def _map(
    item: Item, aliases: AliasTable, region_zh: str | None, year: int | None
) -> tuple[str | None, Decimal | None, str]:
    """(metric key, value in its unit, unit) of one item; key None when unmapped."""
    value, unit = item.value, clean_unit(item.qty.unit)
    if item.bound:
        return None, value, unit
    if item.kind == "level" and value is not None and item.label:
        found = aliases.resolve(_variants(item.label), lambda: _context(item, aliases), region_zh, unit, value)
        if found and found[0].key:
            item.keyed_by_parent = found[0].parent_require is not None
            return found[0].key, found[1], found[0].unit or unit
    elif item.kind == "growth" and value is not None and item.label:
        subject = item.level if item.level is not None else item
        found = aliases.resolve(_variants(item.label), lambda: _context(subject, aliases), region_zh, None, None)
        item.subject_key = found[0].key if found else None
        item.keyed_by_parent = bool(found and found[0].parent_require is not None)
        if found and found[0].growth_key:
            return found[0].growth_key, value, "%"
    elif item.kind == "previous" and value is not None and item.label and _earlier_year(item, year):
        # the key the value would have had in its own year's bulletin (kept as kind `previous`)
        if item.of_growth:
            found = aliases.resolve(_variants(item.label), lambda: _context(item, aliases), region_zh, None, None)
            if found and found[0].growth_key:
                return found[0].growth_key, value, "%"
        else:
            found = aliases.resolve(_variants(item.label), lambda: _context(item, aliases), region_zh, unit, value)
            if found and found[0].key:
                return found[0].key, found[1], found[0].unit or unit
    return None, value, unit


def _earlier_year(item: Item, year: int | None) -> bool:
    """A value of an earlier year than the bulletin's, given as that year's value (not as a share of it)."""
    return item.other_year is not None and year is not None and item.other_year < year and not item.relative


def _figure_year(item: Item, year: int | None) -> int | None:
    """The statistical year of a figure: the bulletin's, or for a previous-year value its own."""
    return item.other_year if item.kind == "previous" and item.other_year is not None else year


def _step(item: Item, value: Decimal) -> Decimal:
    """The rounding step of a value as written, in the unit of `value` (3.36万元 → 100元)."""
    raw = item.qty.value
    if not raw:
        return Decimal(0)
    return abs(Decimal(1).scaleb(raw.as_tuple().exponent) * value / raw)


def _winners(
    mapped: list[tuple[Item, str | None, Decimal | None, str]], year: int | None
) -> dict[tuple[str, int | None], Decimal | None]:
    """One value per key, year and document. An exact figure beats a rounded one (突破260亿元, 1500余万元); a
    figure in the numbered sections beats one in the preamble's summary or the notes (全区地区生产总值迈上700亿元
    台阶,达到712.4亿元 before 一、综合); then the first one said wins, unless a later one of the same rank is the same
    figure given more precisely."""
    winners: dict[tuple[str, int | None], tuple[tuple[bool, bool], Item, Decimal | None]] = {}
    for item, key, value, _ in mapped:
        if key is None:
            continue
        slot = (key, _figure_year(item, year))
        rank = (item.approx, item.section != "body")
        if slot not in winners or rank < winners[slot][0]:
            winners[slot] = (rank, item, value)
            continue
        best_rank, best, best_value = winners[slot]
        if rank == best_rank and value is not None and best_value is not None:
            step, best_step = _step(item, value), _step(best, best_value)
            if step < best_step and abs(value - best_value) * 2 <= best_step:
                winners[slot] = (rank, item, value)
    return {slot: value for slot, (_, _, value) in winners.items()}


def build_figures(doc: DocState, aliases: AliasTable, period: str) -> list[BulletinFigure]:
    """Map each item through the alias table and write the figures. A document never gives two values of a
    key: a figure whose value differs from the key's chosen one is kept, unmapped."""
    mapped = []
    for item in doc.items:
        if not item.qty.damaged:
            key, value, unit = _map(item, aliases, doc.own_words, doc.year)
            item.metric_key = key  # a later breakdown looks up its parent's key
            mapped.append((item, key, value, unit))
    chosen = _winners(mapped, doc.year)
    figures: list[BulletinFigure] = []
    for item, key, value, unit in mapped:
        note = None
        if key is not None and chosen[(key, _figure_year(item, doc.year))] != value:
            note = f"not mapped: the document gives {key} another value, taken from a surer place"
            key = None
        elif key is None and item.kind in ("level", "growth") and item.label and _could_map(item, aliases):
            note = _unmapped_reason(item, aliases, doc.own_words)
        elif key is not None and doc.year is None:
            note = "no statistical year stated in the title or opening sentences: give it with --year"
        growth = item.growth if item.kind == "level" else None
        figures.append(
            BulletinFigure(
                region_zh=doc.region_zh,
                year=_figure_year(item, doc.year),
                period=period,
                metric_key=key,
                label_zh=_display_label(item),
                value=to_float(value) if value is not None else None,
                unit=unit if not item.qty.ratio else "比例",
                raw_value_text=item.qty.sign + item.qty.number,
                raw_unit=item.qty.unit,
                growth_pct=to_float(growth.value) if growth is not None and growth.value is not None else None,
                growth_basis=growth.basis if growth is not None else (None if item.kind == "level" else item.basis),
                locator=locator(doc.document_id, item),
                excerpt=item.sentence.text,
                kind=item.kind,
                note=note,
            )
        )
    return figures


def _could_map(item: Item, aliases: AliasTable) -> bool:
    """Some entry of the alias table would give this figure a key, its label being what it is."""
    label = item.label
    for marker in aliases.subareas_in(label):
        label = label.replace(marker, "")  # 经开区地区生产总值: known once the sub-area is set aside
    entries = aliases.matching(_variants(label))
    return any(e.growth_key if item.kind == "growth" else e.key for e in entries)


def _unmapped_reason(item: Item, aliases: AliasTable, region_zh: str | None) -> str:
    """Why a figure whose label the alias table knows was left unmapped (the reader was not sure of it)."""
    if item.bound:
        return "not mapped: a ceiling or target (以内/以下), not a value"
    if aliases.is_excluded(item.label, region_zh):
        return "not mapped: the label names a share, another year or another region"
    if aliases.subareas_in(item.raw_label + item.area_extra):
        return "not mapped: the figure is a sub-area's (开发区, 区本级, a township …), not the region's"
    if item.has_parent:
        return "not mapped: a breakdown of a total that is not this metric's (民营经济…其中, 投资…其中 …)"
    return "not mapped: the label's rules do not hold here (unit, context or topic); check the sentence"
