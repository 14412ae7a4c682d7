"""The Dagster instance's configuration: orchestration/dagster.yaml, written into an instance folder (DAGSTER_HOME)."""

from __future__ import annotations

import json
from pathlib import Path

from planwatch_core.paths import REPO_ROOT

INSTANCE_TEMPLATE = REPO_ROOT / "orchestration" / "dagster.yaml"
HOME_TOKEN = "<DAGSTER_HOME>"  # in the template: Dagster's yaml cannot name a folder relative to the instance's own


def write_instance_config(home: Path) -> Path:
    """`home`/dagster.yaml from orchestration/dagster.yaml with `home` filled in; rewritten only when it differs."""
    home.mkdir(parents=True, exist_ok=True)
    folder = json.dumps(str(home.resolve()), ensure_ascii=False)[1:-1]  # escaped for the template's quoted string
    text = INSTANCE_TEMPLATE.read_text(encoding="utf-8").replace(HOME_TOKEN, folder)
    target = home / "dagster.yaml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return home
