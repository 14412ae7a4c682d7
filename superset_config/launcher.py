"""`planwatch superset …`: install, bootstrap and serve the BI layer.

Runs in the PIPELINE venv with the standard library only; everything Superset does runs in the Superset venv
(superset_config/.venv, its own uv project) through subprocesses:

    planwatch superset install            uv sync --project superset_config
    planwatch superset bootstrap [--demo] secret key, metadata DB, admin, roles, (demo users), dashboards
    planwatch superset [serve] [--port N] gunicorn on 127.0.0.1:N (default 8088), in the foreground
    planwatch superset user add NAME --role Leader|Statistician   (password: PLANWATCH_USER_PASSWORD or a prompt)
    planwatch superset user list | user remove NAME

Local state lives in $PLANWATCH_LOCAL/superset/ (default <repo>/.local/superset/): metadata DB, secret key,
admin credentials, logs.
"""

from __future__ import annotations

import argparse
import getpass
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


def secure_local() -> None:
    """Everything under the local state folder (metadata DB, secret key, credentials, logs) is the owner's only:
    directories 0700, files 0600 (the Superset processes also run with umask 077)."""
    root = local_dir()
    root.mkdir(parents=True, exist_ok=True)
    os.umask(0o077)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        try:
            mode = path.stat().st_mode & 0o777
            path.chmod(mode & 0o700)
        except OSError as exc:  # a file of another user: say so, go on
            _say(f"warning: could not restrict {path}: {exc}")


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


def _require_bootstrapped() -> bool:
    """The Superset venv exists and bootstrap has made its metadata DB (serve and user need both)."""
    if not _require_venv():
        return False
    if not (state_dir() / "superset.db").exists():
        print("error: Superset is not bootstrapped here. Run `planwatch superset bootstrap` first.",
              file=sys.stderr)
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


DEMO_USERS = ("leader", "statistician")


def demo_credentials() -> dict[str, str]:
    """Demo users (only with --demo): user -> password, PLANWATCH_DEMO_PASSWORD or generated once and kept in
    demo_credentials.txt beside the admin's (mode 0600)."""
    common = _settings().demo_password
    cred_file = state_dir() / "demo_credentials.txt"
    cred_file.parent.mkdir(parents=True, exist_ok=True)
    stored: dict[str, str] = {}
    if cred_file.is_file():
        for line in cred_file.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                stored[key.strip()] = value.strip()
    passwords = {name: common or stored.get(name) or secrets.token_urlsafe(12) for name in DEMO_USERS}
    cred_file.write_text("# demo users of this planwatch installation (generated; git-ignored)\n"
                         + "".join(f"{name}={pw}\n" for name, pw in passwords.items()), encoding="utf-8")
    cred_file.chmod(0o600)
    return passwords


def cmd_bootstrap(args: argparse.Namespace) -> int:
    if not _require_venv():
        return 2
    started = time.monotonic()
    state = state_dir()
    (state / "logs").mkdir(parents=True, exist_ok=True)
    secure_local()
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
    demo_passwords = demo_credentials() if demo else {}
    if demo:
        env["PLANWATCH_DEMO_USERS"] = json.dumps(demo_passwords)
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
    secure_local()  # the metadata DB and anything bootstrap wrote
    if demo:
        _say(f"demo users {', '.join(demo_passwords)}: passwords in {state / 'demo_credentials.txt'} (local demo only)")
    _say(f"bootstrap finished in {time.monotonic() - started:.0f}s; start with `planwatch superset`")
    return 0


# ---------------------------------------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    if not _require_bootstrapped():
        return 2
    port = getattr(args, "port", None) or DEFAULT_PORT
    host = getattr(args, "host", None) or "127.0.0.1"
    logs = state_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    secure_local()
    workers = str(_settings().superset_workers)
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "--bind", f"{host}:{port}",
        "--workers", workers,
        "--worker-class", "gthread",
        "--threads", "8",  # queries are capped per user (superset_config.py): a runaway user never takes them all
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


# ---------------------------------------------------------------------------------------------- users

ROLES = ("Leader", "Statistician")


def cmd_user(args: argparse.Namespace) -> int:
    """The bureau's own accounts, in the Superset venv (bootstrap_app.py user …)."""
    if not _require_bootstrapped():
        return 2
    env = superset_env()
    env.pop("PLANWATCH_USER_PASSWORD", None)
    action = args.user_command
    argv = [action]
    if action == "add":
        password = _settings().user_password
        if not password:
            if not sys.stdin.isatty():
                print("error: no password: set PLANWATCH_USER_PASSWORD or run in a terminal to be asked",
                      file=sys.stderr)
                return 2
            password = getpass.getpass(f"password for {args.name}: ")
            if password != getpass.getpass("again: "):
                print("error: the two passwords differ", file=sys.stderr)
                return 2
        if len(password) < 8:
            print("error: the password is shorter than 8 characters", file=sys.stderr)
            return 2
        env["PLANWATCH_USER_PASSWORD"] = password
        argv += [args.name, args.role]
    elif action == "remove":
        argv.append(args.name)
    os.umask(0o077)
    proc = subprocess.run([str(VENV_BIN / "python"), str(HERE / "bootstrap_app.py"), "user", *argv], env=env,
                          cwd=str(REPO_ROOT), check=False)
    return proc.returncode


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

    p_user = sub.add_parser("user", help="the bureau's accounts: add / list / remove")
    users = p_user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p_add = users.add_parser("add", help="create a user (or reset its password and role)")
    p_add.add_argument("name")
    p_add.add_argument("--role", required=True, choices=ROLES)
    users.add_parser("list", help="list the users and their roles")
    p_remove = users.add_parser("remove", help="remove a user")
    p_remove.add_argument("name")
    p_user.set_defaults(handler=cmd_user)

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
