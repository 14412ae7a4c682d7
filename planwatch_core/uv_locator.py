"""Where `uv` is: the one rule every command that runs uv follows (the Makefile runs this file with python3).

Order: `uv` on PATH; the user install `~/.local/bin/uv` (where `pip install --user uv` puts it, often not on
PATH on a fresh machine); the `uv` Python package of the interpreter running this (`pip install uv` without
--user). Standard library only: it runs before any project environment exists.

    python3 planwatch_core/uv_locator.py            print uv's path, or exit 1 saying how to install it
    python3 planwatch_core/uv_locator.py --install  install uv with pip (user site first) when it is missing
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_uv() -> str | None:
    """The uv executable to run, or None when uv is not installed anywhere this knows of."""
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    user_bin = Path.home() / ".local" / "bin" / "uv"
    if _executable(user_bin):
        return str(user_bin)
    for scheme_bin in (Path(sys.prefix) / "bin", Path(sys.base_prefix) / "bin"):
        if _executable(scheme_bin / "uv"):
            return str(scheme_bin / "uv")
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found]  # the PyPI package `uv`

        found = find_uv_bin()
    except (ImportError, FileNotFoundError):
        return None
    return found if found and _executable(Path(found)) else None


def install_uv() -> str | None:
    """`pip install --user uv` (falling back to a plain install, e.g. inside a virtualenv); uv's path after."""
    for extra in (["--user"], []):
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", *extra, "uv"]
        if subprocess.run(cmd, check=False, stdout=sys.stderr).returncode == 0:
            found = find_uv()
            if found:
                return found
    return None


def main(argv: list[str]) -> int:
    uv = find_uv()
    if uv is None and "--install" in argv:
        print("installing uv with pip", file=sys.stderr)
        uv = install_uv()
    if uv is None:
        print("error: uv is not installed. Run `python3 -m pip install --user uv` (or `make up`, which does it).",
              file=sys.stderr)
        return 1
    print(uv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
