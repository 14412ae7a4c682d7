"""Named pause points for the kill tests: with PLANWATCH_PAUSE_AT=<name> the process writes its PID to
PLANWATCH_PAUSE_MARKER and sleeps there, so a test can SIGKILL it at exactly that point. A no-op otherwise."""

from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("after_first_landing_file", "before_swap")


def pause_point(name: str) -> None:
    if os.environ.get("PLANWATCH_PAUSE_AT") != name:
        return
    marker = os.environ.get("PLANWATCH_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(f"{os.getpid()}\n")
    time.sleep(3600)
