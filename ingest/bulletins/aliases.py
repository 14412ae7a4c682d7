"""The alias table (catalog/metric_aliases.yaml): label patterns → canonical metric key, unit, growth key.

The table is data reviewed by people; this module only loads it and answers "which metric is this label?".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.bulletins.units import convert
from ingest.regions import lookup
from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load

DEFAULT_ALIAS_FILE = Path(__file__).resolve().parents[2] / "catalog" / "metric_aliases.yaml"


@dataclass(frozen=True)
class MetricAlias:
    key: str | None
    unit: str | None
    growth_key: str | None
    labels: tuple[re.Pattern[str], ...]
    parent_allow: tuple[str, ...] | None = None
    parent_require: tuple[str, ...] | None = None
    context_exclude: re.Pattern[str] | None = None
    context_require: re.Pattern[str] | None = None
    topic_require: tuple[str, ...] = ()
    topic_exclude: tuple[str, ...] = ()
    subarea_ok: tuple[str, ...] = ()
    unit_equivalents: dict[str, str] = field(default_factory=dict)

    def matches_label(self, variants: tuple[str, ...]) -> bool:
        return any(p.fullmatch(v) for p in self.labels for v in variants)


@dataclass(frozen=True)
class MatchContext:
    """What the extractor knows around a figure, for the rules that look beyond the label."""

    parent_key: str | None  # metric key of the total this figure may break down (table: the first row)
    has_parent: bool  # the text says it is a breakdown (其中, 分产业看, a `#`/其中 table row)
    group_prefix: str  # the full-stop sentence up to the figure
    paragraph_prefix: str  # the paragraph up to the figure
    topic: str | None  # last topic word (户籍/常住) said before the figure in the paragraph
    area_text: str  # label as written plus any sub-area heading or topic before a colon


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: its lookups are cached per table
class AliasTable:
    catalog_dir: Path  # the catalog folder of the table: its region table names the regions (ingest/regions.py)
    subarea_markers: tuple[str, ...]
    township: re.Pattern[str]
    other_region_words: tuple[str, ...]
    exclude_words: re.Pattern[str]
    topic_words: tuple[str, ...]
    metrics: tuple[MetricAlias, ...]
    # variants → the aliases whose label patterns match them; bulletins repeat their labels, so most lookups hit
    _matches: dict[tuple[str, ...], tuple[MetricAlias, ...]] = field(default_factory=dict, compare=False, repr=False)
    _subareas: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def matching(self, variants: tuple[str, ...]) -> tuple[MetricAlias, ...]:
        """The entries whose label patterns match one of `variants` (their other rules aside), in table order."""
        found = self._matches.get(variants)
        if found is None:
            if len(self._matches) >= 100_000:
                self._matches.clear()
            found = self._matches[variants] = tuple(a for a in self.metrics if a.matches_label(variants))
        return found

    def region_code(self, region_zh: str | None, context: str = "") -> str | None:
        """The GB/T 2260 code of a region name through the region table of this catalog (ingest/regions.py): a full
        name (重庆市黔江区), a short form (咸宁) or an alias; a shared name (江北区) only with a parent in
        `context` or in the name itself; else None."""
        division = lookup(region_zh, self.catalog_dir, context) if region_zh else None
        return division.code if division else None

    def subareas_in(self, text: str) -> frozenset[str]:
        """Sub-area markers (区本级, 开发区, a township …) present in `text`."""
        found = self._subareas.get(text)
        if found is None:
            if len(self._subareas) >= 100_000:
                self._subareas.clear()
            marks = {m for m in self.subarea_markers if m in text}
            if self.township.search(text):
                marks.add("乡镇街道")
            found = self._subareas[text] = frozenset(marks)
        return found

    def knows_label(self, label: str) -> bool:
        """Some entry's label pattern matches the whole of `label` (its rules aside)."""
        return bool(self.matching((label,)))

    def is_excluded(self, label: str, region_zh: str | None) -> bool:
        """Labels that never map: shares, contributions, other years, another (parent) region."""
        if self.exclude_words.search(label):
            return True
        own = f"全{region_zh[-1]}" if region_zh else None
        return any(w in label and w != own for w in self.other_region_words)

    def _allowed(self, variants: tuple[str, ...], region_zh: str | None) -> tuple[str, ...]:
        """Exclusion is judged on the label without its brackets ("城镇化率(城镇常住人口占总常住人口比重)" is a
        rate, not a share); what a bracket names is judged alone ("占常住人口比重(常住人口城镇化率)")."""
        full, bare, inner = variants[0], variants[1] if len(variants) > 1 else variants[0], variants[2:]
        kept = (full, bare) if not self.is_excluded(bare, region_zh) else ()
        return kept + tuple(v for v in inner if not self.is_excluded(v, region_zh))

    def resolve(
        self,
        label_variants: tuple[str, ...],
        ctx: MatchContext | Callable[[], MatchContext],
        region_zh: str | None,
        unit: str | None,
        value: Decimal | None,
    ) -> tuple[MetricAlias, Decimal | None] | None:
        """The first alias whose rules hold. For a level (`unit` given) the value must convert to the alias's
        unit; the converted value comes back. For a growth figure pass `unit=None`. `ctx` may be a function
        that builds the context: it is called only when some entry's label pattern matches."""
        if not self.matching(label_variants):
            return None  # most numbers of a bulletin are not canonical metrics: no need for their context
        label_variants = self._allowed(label_variants, region_zh)
        if not label_variants:
            return None
        if callable(ctx):
            ctx = ctx()
        subareas = self.subareas_in(ctx.area_text)
        for alias in self.matching(label_variants):
            if subareas - set(alias.subarea_ok):
                continue
            if not _context_ok(alias, ctx):
                continue
            if unit is None:
                return alias, None
            if alias.key is None or alias.unit is None or value is None:
                return None  # the label is known but its level is deliberately left unmapped
            converted = convert(value, unit, alias.unit, alias.unit_equivalents)
            if converted is None:
                continue
            return alias, converted
        return None


def _context_ok(alias: MetricAlias, ctx: MatchContext) -> bool:
    if alias.parent_require is not None and ctx.parent_key not in alias.parent_require:
        return False
    if alias.parent_allow is not None and ctx.has_parent and ctx.parent_key not in alias.parent_allow:
        return False
    if alias.context_exclude is not None and alias.context_exclude.search(ctx.group_prefix):
        return False
    if alias.context_require is not None and not alias.context_require.search(ctx.paragraph_prefix):
        return False
    if alias.topic_require and ctx.topic not in alias.topic_require:
        return False
    return not (alias.topic_exclude and ctx.topic in alias.topic_exclude)


def _compile_many(patterns: list[str], where: str, path: Path) -> tuple[re.Pattern[str], ...]:
    out = []
    for pattern in patterns:
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise InputError(path, where, f"bad regular expression {pattern!r}: {exc}", "fix the pattern") from exc
    return tuple(out)


def _one_regex(patterns: list[str] | None, where: str, path: Path) -> re.Pattern[str] | None:
    if not patterns:
        return None
    _compile_many(patterns, where, path)
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _tuple(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, list) else (str(value),)


@lru_cache(maxsize=8)
def load_aliases(path: str | Path = DEFAULT_ALIAS_FILE) -> AliasTable:
    path = Path(path)
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, "file", f"alias table unreadable: {exc}", "fix the YAML") from exc
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), list):
        raise InputError(path, "top level", "expected a mapping with a `metrics` list", "see the header comment")
    metrics = []
    for i, entry in enumerate(data["metrics"], start=1):
        where = f"metrics[{i}] ({entry.get('key') or entry.get('growth_key')})"
        if not entry.get("labels"):
            raise InputError(path, where, "no `labels`", "list at least one label pattern")
        if entry.get("key") and not entry.get("unit"):
            raise InputError(path, where, "a mapped level needs its canonical `unit`", "add `unit:`")
        metrics.append(
            MetricAlias(
                key=entry.get("key"),
                unit=entry.get("unit"),
                growth_key=entry.get("growth_key"),
                labels=_compile_many(list(entry["labels"]), where, path),
                parent_allow=_tuple(entry.get("parent_allow")),
                parent_require=_tuple(entry.get("parent_require")),
                context_exclude=_one_regex(entry.get("context_exclude"), where, path),
                context_require=_one_regex(entry.get("context_require"), where, path),
                topic_require=_tuple(entry.get("topic_require")) or (),
                topic_exclude=_tuple(entry.get("topic_exclude")) or (),
                subarea_ok=_tuple(entry.get("subarea_ok")) or (),
                unit_equivalents=dict(entry.get("unit_equivalents") or {}),
            )
        )
    sub = data.get("subareas") or {}
    return AliasTable(
        catalog_dir=path.parent,
        subarea_markers=tuple(sub.get("markers") or ()),
        township=re.compile(sub.get("township_pattern") or r"(?!x)x"),
        other_region_words=tuple(data.get("other_region_words") or ()),
        exclude_words=_one_regex(data.get("exclude_words") or [r"(?!x)x"], "exclude_words", path)
        or re.compile(r"(?!x)x"),
        topic_words=tuple(data.get("topic_words") or ()),
        metrics=tuple(metrics),
    )
