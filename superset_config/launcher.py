"""`planwatch superset …`: install, bootstrap and serve the BI layer.

Runs in the PIPELINE venv with the standard library only; everything Superset does runs in the Superset venv
(superset_config/.venv, its own uv project) through subprocesses:

    planwatch superset install            uv sync --project superset_config
    planwatch superset bootstrap [--demo] secret key, metadata DB, admin, roles, (demo users), dashboards
    planwatch superset [serve] [--port N] gunicorn on 127.0.0.1:N (default 8088), in the foreground

Local state lives in $PLANWATCH_LOCAL/superset/ (default <repo>/.local/superset/): metadata DB, secret key,
admin credentials, logs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from planwatch_core.settings import Settings
from planwatch_core.uv_locator import find_uv

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
VENV = HERE / ".venv"
VENV_BIN = VENV / "bin"
CONFIG_MODULE = HERE / "superset_config.py"
BUNDLE_DIR = HERE / "bundle"
DEFAULT_PORT = 8088

# ---------------------------------------------------------------------------------------------- paths


def _settings() -> Settings:
    return Settings.from_environment()


def local_dir() -> Path:
    return _settings().local_dir


def state_dir() -> Path:
    return local_dir() / "superset"


def warehouse_db() -> Path:
    """The served warehouse file (planwatch_core/settings.py: $PLANWATCH_WAREHOUSE/serving/planwatch.duckdb)."""
    return _settings().paths.serving_db


def demo_requested(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "demo", False)) or _settings().local_demo


def superset_env() -> dict[str, str]:
    """Environment of every Superset subprocess."""
    env = dict(os.environ)
    env["SUPERSET_CONFIG_PATH"] = str(CONFIG_MODULE)
    env["PLANWATCH_LOCAL"] = str(local_dir())
    env["PLANWATCH_WAREHOUSE_DB"] = str(warehouse_db())
    env["SUPERSET_HOME"] = str(state_dir())
    env["FLASK_APP"] = "superset.app:create_app()"
    env["SUPERSET_ENV"] = "production"
    env["PYTHONUNBUFFERED"] = "1"
    env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
    env.pop("PYTHONPATH", None)  # never let the pipeline's packages leak into the Superset venv
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _say(message: str) -> None:
    print(f"[planwatch superset] {message}", flush=True)


def _require_venv() -> bool:
    if not (VENV_BIN / "superset").exists():
        print(
            f"error: the Superset environment is missing ({VENV}). Run `planwatch superset install` first.",
            file=sys.stderr,
        )
        return False
    return True


def _run(cmd: list[str], what: str, env: dict[str, str] | None = None) -> int:
    _say(f"{what}: {' '.join(cmd)}")
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env or superset_env(), cwd=str(REPO_ROOT), check=False)
    if proc.returncode != 0:
        print(f"error: {what} failed (exit {proc.returncode}); see the output above.", file=sys.stderr)
    else:
        _say(f"{what}: done in {time.monotonic() - started:.1f}s")
    return proc.returncode


# ---------------------------------------------------------------------------------------------- install


def cmd_install(args: argparse.Namespace) -> int:
    uv = find_uv()
    if not uv:
        print("error: uv is not installed. Run `python3 -m pip install --user uv` (or `make up`) and rerun.",
              file=sys.stderr)
        return 2
    cmd = [uv, "sync", "--project", str(HERE)]
    if getattr(args, "frozen", False) or (HERE / "uv.lock").exists():
        cmd.append("--locked")
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    rc = _run(cmd, "installing the Superset environment", env=env)
    if rc == 0:
        rc = fix_zh_catalog()
    if rc == 0:
        _say(f"Superset environment ready in {VENV}")
    return rc


def fix_zh_catalog() -> int:
    """Correct wrong upstream zh strings in the installed Superset (zh_fixes.py, idempotent)."""
    return _run([str(VENV_BIN / "python"), str(HERE / "zh_fixes.py")], "correcting the zh catalog")


# ---------------------------------------------------------------------------------------------- bootstrap


def ensure_secret_key() -> None:
    if os.environ.get("SUPERSET_SECRET_KEY", "").strip():
        _say("secret key: from SUPERSET_SECRET_KEY")
        return
    key_file = state_dir() / "secret_key"
    if key_file.is_file() and key_file.read_text(encoding="utf-8").strip():
        _say(f"secret key: kept {key_file}")
        return
    key_file.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    _say(f"secret key: generated {key_file} (set SUPERSET_SECRET_KEY to use your own)")


def admin_credentials() -> tuple[str, str, str]:
    """(user, password, origin). Environment first, else the generated file (created once)."""
    user, password = _settings().admin_user, _settings().admin_password
    if user and password:
        return user, password, "environment (PLANWATCH_ADMIN_USER / PLANWATCH_ADMIN_PASSWORD)"
    cred_file = state_dir() / "admin_credentials.txt"
    stored: dict[str, str] = {}
    if cred_file.is_file():
        for line in cred_file.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                stored[key.strip()] = value.strip()
    user = user or stored.get("user") or "admin"
    password = password or stored.get("password") or secrets.token_urlsafe(18)
    cred_file.write_text(
        "# Superset admin of this planwatch installation (generated; git-ignored)\n"
        f"user={user}\npassword={password}\n",
        encoding="utf-8",
    )
    cred_file.chmod(0o600)
    return user, password, f"{cred_file}"


def demo_credentials() -> dict[str, str]:
    """Demo users of a local demo only: user -> password (PLANWATCH_DEMO_PASSWORD, else the user name)."""
    common = _settings().demo_password
    return {name: common or f"{name}-demo" for name in ("leader", "statistician")}


def cmd_bootstrap(args: argparse.Namespace) -> int:
    if not _require_venv():
        return 2
    started = time.monotonic()
    state = state_dir()
    (state / "logs").mkdir(parents=True, exist_ok=True)
    _say(f"local state: {state}")
    ensure_secret_key()
    if fix_zh_catalog():
        return 1

    user, password, origin = admin_credentials()
    _say(f"admin user {user!r}: credentials from {origin}")
    env = superset_env()
    env["PLANWATCH_ADMIN_USER"] = user
    env["PLANWATCH_ADMIN_PASSWORD"] = password
    demo = demo_requested(args)
    if demo:
        env["PLANWATCH_DEMO_USERS"] = json.dumps(demo_credentials())
    else:
        env.pop("PLANWATCH_DEMO_USERS", None)
    env["PLANWATCH_BUNDLE_DIR"] = str(BUNDLE_DIR)
    db_file = warehouse_db()
    if not db_file.exists():
        _say(f"warning: the served warehouse {db_file} does not exist yet; dashboards will show errors until "
             "`planwatch build` publishes it")
    rc = _run([str(VENV_BIN / "python"), str(HERE / "bootstrap_app.py")],
              "metadata DB (superset db upgrade), superset init, admin, roles, users, dashboards", env=env)
    if rc:
        return rc
    if demo:
        for name, pw in demo_credentials().items():
            _say(f"demo user {name!r} password {pw!r} (local demo only)")
    _say(f"bootstrap finished in {time.monotonic() - started:.0f}s; start with `planwatch superset`")
    return 0


# ---------------------------------------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    if not _require_venv():
        return 2
    if not (state_dir() / "superset.db").exists():
        print("error: Superset is not bootstrapped here. Run `planwatch superset bootstrap` first.",
              file=sys.stderr)
        return 2
    port = getattr(args, "port", None) or DEFAULT_PORT
    host = getattr(args, "host", None) or "127.0.0.1"
    logs = state_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    workers = str(_settings().superset_workers)
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "--bind", f"{host}:{port}",
        "--workers", workers,
        "--worker-class", "gthread",
        "--threads", "4",
        "--timeout", "120",
        "--limit-request-line", "0",
        "--limit-request-field_size", "0",
        "--access-logfile", str(logs / "access.log"),
        "--error-logfile", "-",
        "--no-control-socket",  # one shared ~/.gunicorn socket would clash between `make up` and tests
        "superset.app:create_app()",
    ]
    _say(f"serving Superset on http://{host}:{port}/ (warehouse {warehouse_db()}); Ctrl-C stops it")
    sys.stdout.flush()
    sys.stderr.flush()
    # Replace this process by gunicorn: signals (Ctrl-C, SIGTERM from `make down` or a test) reach it directly.
    os.chdir(REPO_ROOT)
    os.execve(cmd[0], cmd, superset_env())
    return 0  # not reached


# ---------------------------------------------------------------------------------------------- CLI


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "superset",
        help="BI layer: install, bootstrap and serve Superset (dashboards, SQL Lab)",
        description="Superset for planwatch. Without a subcommand: serve (like `serve`).",
    )
    parser.add_argument("--port", type=int, default=None, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.set_defaults(handler=cmd_serve)
    sub = parser.add_subparsers(dest="superset_command", metavar="SUBCOMMAND")

    p_install = sub.add_parser("install", help="create superset_config/.venv (uv sync)")
    p_install.set_defaults(handler=cmd_install)

    p_boot = sub.add_parser("bootstrap", help="secret key, metadata DB, admin, roles, dashboards (idempotent)")
    p_boot.add_argument("--demo", action="store_true",
                        help="also create demo users leader/statistician (or set PLANWATCH_LOCAL_DEMO=1)")
    p_boot.set_defaults(handler=cmd_bootstrap)

    p_serve = sub.add_parser("serve", help="serve with gunicorn in the foreground")
    p_serve.add_argument("--port", type=int, default=argparse.SUPPRESS)
    p_serve.add_argument("--host", default=argparse.SUPPRESS)
    p_serve.set_defaults(handler=cmd_serve)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
