"""Named pause points for the kill tests: when the settings' pause point (PLANWATCH_PAUSE_AT=<name> in a child
process's environment) is this one, the process writes its PID to the marker file (PLANWATCH_PAUSE_MARKER) and
sleeps there, so a test can SIGKILL it at exactly that point. A no-op otherwise."""

from __future__ import annotations

import os
import time
from pathlib import Path

from planwatch_core.settings import PausePoint, Settings

POINTS = ("after_first_landing_file", "before_compaction", "before_swap")


def pause_point(name: str, pause: PausePoint | None = None) -> None:
    pause = pause if pause is not None else Settings.from_environment().pause
    if pause.at != name:
        return
    if pause.marker:
        Path(pause.marker).write_text(f"{os.getpid()}\n")
    time.sleep(3600)
