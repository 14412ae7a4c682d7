"""One line per stage of `make up` / `make test`: the stage's full output goes to a log file, the terminal gets
`[2/5] Superset environment … ok (41s)` with a spinner and the elapsed seconds while it runs. On failure: the log's
path, its last lines and what to do next. Standard library only (it runs before any environment exists).

    python3 -m planwatch_core.stages STAGE NUMBER TITLE [--hint TEXT] [--show-from TEXT] [--log-prefix P] -- COMMAND...

The log is <local>/logs/P-STAGE.log (P: make-up by default; <local>: PLANWATCH_LOCAL or <repo>/.local)."""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import threading
import time
from pathlib import Path

from planwatch_core.settings import Settings

TAIL_LINES = 25
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
QUIET_PROGRESS_S = 60  # without a terminal: a progress line at most this often


def log_path(local_dir: Path, stage: str, prefix: str = "make-up") -> Path:
    return local_dir / "logs" / f"{prefix}-{stage}.log"


def _tail(path: Path, n: int) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines[-n:]


def _ticker(label: str, started: float, done: threading.Event, tty: bool) -> None:
    last_line = started
    for frame in itertools.cycle(SPINNER):
        if done.wait(0.2 if tty else 1.0):
            return
        elapsed = time.monotonic() - started
        if tty:
            sys.stdout.write(f"\r{label} {frame} {elapsed:4.0f}s")
            sys.stdout.flush()
        elif time.monotonic() - last_line >= QUIET_PROGRESS_S:
            last_line = time.monotonic()
            print(f"{label} … still running ({elapsed:.0f}s)", flush=True)


def run_stage(stage: str, number: str, title: str, command: list[str], log: Path, hint: str = "",
              show_from: str = "") -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    label = f"[{number}] {title}"
    tty = sys.stdout.isatty()
    if not tty:
        print(f"{label} …", flush=True)
    started = time.monotonic()
    done = threading.Event()
    ticker = threading.Thread(target=_ticker, args=(label, started, done, tty), daemon=True)
    ticker.start()
    with log.open("w", encoding="utf-8") as handle:
        handle.write(f"$ {' '.join(command)}\n")
        handle.flush()
        returncode = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    check=False).returncode
    done.set()
    ticker.join()
    elapsed = time.monotonic() - started
    prefix = "\r" if tty else ""
    if returncode == 0:
        print(f"{prefix}{label} ok ({elapsed:.0f}s)          ", flush=True)
        if show_from:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
            start = next((i for i, line in enumerate(lines) if show_from in line), None)
            if start is not None:
                print("\n".join(lines[start:]), flush=True)
        return 0
    print(f"{prefix}{label} FAILED after {elapsed:.0f}s (exit {returncode})          ", flush=True)
    print(f"  full log: {log}", file=sys.stderr)
    print(f"  last {TAIL_LINES} lines:", file=sys.stderr)
    for line in _tail(log, TAIL_LINES):
        print(f"    {line}", file=sys.stderr)
    advice = hint or "read the log above, fix the cause and run the same make command again"
    print(f"  what to do next: {advice}", file=sys.stderr)
    return returncode


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: python3 -m planwatch_core.stages STAGE NUMBER TITLE [options] -- COMMAND...", file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="planwatch_core.stages")
    parser.add_argument("stage")
    parser.add_argument("number")
    parser.add_argument("title")
    parser.add_argument("--hint", default="")
    parser.add_argument("--show-from", default="", help="on success, print the output from the line holding this")
    parser.add_argument("--log-prefix", default="make-up")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    log = log_path(Settings.from_environment().local_dir, args.stage, args.log_prefix)
    return run_stage(args.stage, args.number, args.title, command, log, args.hint, args.show_from)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
