"""Peer groups (catalog/peer_groups.yaml): which regions are compared side by side, and which way each metric ranks.
A user adds a group in the YAML; loading validates it against the known regions and names what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from planwatch_core.errors import InputError
from planwatch_core.yaml_load import safe_load

DIRECTIONS = (1, -1)


@dataclass(frozen=True)
class PeerGroup:
    code: str
    name_zh: str
    focus: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class PeerMetric:
    key: str
    label_zh: str
    unit: str
    direction: int


def parse_peer_groups(text: str, file: str, region_codes: set[str]) -> tuple[list[PeerGroup], list[PeerMetric]]:
    """Groups and compared metrics of a peer-groups document; InputError names the entry and what is wrong."""
    try:
        document = safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(file, "whole file", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError(file, "whole file", "expected the keys peer_groups and metrics")
    groups = [_group(item, i, file, region_codes) for i, item in enumerate(document.get("peer_groups") or [], 1)]
    metrics = [_metric(item, i, file) for i, item in enumerate(document.get("metrics") or [], 1)]
    for what, keys in (("group code", [g.code for g in groups]), ("metric key", [m.key for m in metrics])):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise InputError(file, what, f"{', '.join(repeated)} is listed twice", "keep one entry")
    return groups, metrics


def _group(item: object, number: int, file: str, region_codes: set[str]) -> PeerGroup:
    place = f"peer_groups entry {number}"
    if not isinstance(item, dict):
        raise InputError(file, place, "an entry needs code, name_zh, focus and members")
    missing = [k for k in ("code", "name_zh", "focus", "members") if not item.get(k)]
    if missing:
        raise InputError(file, place, f"missing {', '.join(missing)}", "an entry needs code, name_zh, focus, members")
    members = tuple(str(m) for m in item["members"])
    unknown = [m for m in members if m not in region_codes]
    if unknown:
        raise InputError(file, place, f"members {', '.join(unknown)} are not in regions.yaml", "add them there first")
    if len(set(members)) != len(members):
        raise InputError(file, place, "a member is listed twice")
    focus = str(item["focus"])
    if focus not in members:
        raise InputError(file, place, f"focus {focus} is not one of the members")
    return PeerGroup(code=str(item["code"]), name_zh=str(item["name_zh"]), focus=focus, members=members)


def _metric(item: object, number: int, file: str) -> PeerMetric:
    place = f"metrics entry {number}"
    if not isinstance(item, dict) or not all(item.get(k) for k in ("key", "label_zh", "unit")):
        raise InputError(file, place, "an entry needs key, label_zh, unit and direction")
    if item.get("direction") not in DIRECTIONS:
        raise InputError(
            file,
            place,
            f"direction {item.get('direction')!r} of {item['key']}",
            "1 (larger first) or -1 (smaller first)",
        )
    return PeerMetric(
        key=str(item["key"]), label_zh=str(item["label_zh"]), unit=str(item["unit"]), direction=int(item["direction"])
    )


def load_peer_groups(path: Path, region_codes: set[str]) -> tuple[list[PeerGroup], list[PeerMetric]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, "whole file", f"cannot read the peer groups: {exc}") from exc
    return parse_peer_groups(text, str(path), region_codes)


def peer_group_records(groups: list[PeerGroup]) -> list[dict]:
    return [
        {
            "group_code": g.code,
            "group_zh": g.name_zh,
            "region_code": member,
            "is_focus": member == g.focus,
            "member_order": order,
        }
        for g in groups
        for order, member in enumerate(g.members, 1)
    ]


def peer_metric_records(metrics: list[PeerMetric]) -> list[dict]:
    return [
        {"metric_key": m.key, "label_zh": m.label_zh, "unit": m.unit, "direction": m.direction, "sort_order": order}
        for order, m in enumerate(metrics, 1)
    ]
