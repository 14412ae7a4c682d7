"""`planwatch services start|stop|status`: the long-running processes of a local installation, started in the
background with their PIDs recorded, so `make up` can return and `make down` can stop exactly what it started."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from orchestration.instance import write_instance_config
from planwatch_core.paths import REPO_ROOT
from planwatch_core.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return getattr(args, "settings", None) or Settings.from_environment()


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    health_url: str | None
    description: str


def dagster_home(settings: Settings) -> Path:
    return write_instance_config(settings.service_dagster_home)


def services(dagster_port: int, superset_port: int) -> list[Service]:
    bin_dir = Path(sys.executable).parent
    # no -m/-f flags: both read [tool.dagster] of pyproject.toml (code location "planwatch") from the repo root
    return [
        Service(
            "dagster-webserver",
            [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(dagster_port)],
            f"http://127.0.0.1:{dagster_port}/server_info",
            f"Dagster UI          http://127.0.0.1:{dagster_port}",
        ),
        Service(
            "dagster-daemon",
            [str(bin_dir / "dagster-daemon"), "run"],
            None,
            "Dagster daemon      runs the 02:00 schedule and the inbox sensor",
        ),
        Service(
            "superset",
            [str(bin_dir / "planwatch"), "superset", "serve", "--port", str(superset_port)],
            f"http://127.0.0.1:{superset_port}/health",
            f"Superset            http://127.0.0.1:{superset_port}",
        ),
    ]


def _pid_file(local: Path, name: str) -> Path:
    return local / "run" / f"{name}.pid"


def _running_pid(local: Path, name: str) -> int | None:
    path = _pid_file(local, name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        path.unlink(missing_ok=True)
        return None
    return pid


def _wait_healthy(url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(2)
    return False


def _migrate_dagster_storage(env: dict[str, str]) -> None:
    """Create or upgrade the instance's SQLite storage once, before the webserver and the daemon start together
    (each would otherwise initialise it at the same moment and leave two alembic heads)."""
    command = [str(Path(sys.executable).parent / "dagster"), "instance", "migrate"]
    subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start(args: argparse.Namespace) -> int:
    settings = _settings(args)
    local = settings.local_dir
    env = dict(os.environ, DAGSTER_HOME=str(dagster_home(settings)))  # the services' own environment
    if {"dagster-webserver", "dagster-daemon"} - set(args.skip):
        print(f"preparing the Dagster instance in {env['DAGSTER_HOME']}")
        _migrate_dagster_storage(env)
    logs = local / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (local / "run").mkdir(parents=True, exist_ok=True)
    failed = False
    ports = _ports(args, settings)
    chosen = [s for s in services(*ports) if s.name not in args.skip]
    for number, service in enumerate(chosen, start=1):
        pid = _running_pid(local, service.name)
        if pid:
            print(f"[{number}/{len(chosen)}] {service.name} already running (pid {pid})")
            continue
        log = logs / f"{service.name}.log"
        print(f"[{number}/{len(chosen)}] starting {service.name} (log: {log})")
        with log.open("ab") as handle:
            process = subprocess.Popen(
                service.command,
                cwd=REPO_ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        _pid_file(local, service.name).write_text(f"{process.pid}\n")
    for service in chosen:
        if service.health_url and not _wait_healthy(service.health_url, args.timeout):
            print(
                f"error: {service.name} did not answer {service.health_url} within {args.timeout:.0f}s; "
                f"see {logs / (service.name + '.log')}",
                file=sys.stderr,
            )
            failed = True
    print("\nplanwatch is up:" if not failed else "\nplanwatch is partly up:")
    for service in chosen:
        print(f"  {service.description}")
    credentials = local / "superset" / "admin_credentials.txt"
    if "superset" not in args.skip:
        where = credentials if credentials.exists() else "PLANWATCH_ADMIN_USER / PLANWATCH_ADMIN_PASSWORD"
        print(f"  Superset admin      credentials in {where}")
        if settings.local_demo:
            from superset_config.launcher import demo_credentials

            users = ", ".join(f"{user} / {password}" for user, password in demo_credentials().items())
            print(f"  demo users          {users} (roles Leader, Statistician)")
    print(f"  logs                {local / 'logs'};  stop everything with `make down`")
    return 1 if failed else 0


def _ports(args: argparse.Namespace, settings: Settings) -> tuple[int, int]:
    return args.dagster_port or settings.dagster_port, args.superset_port or settings.superset_port


def stop(args: argparse.Namespace) -> int:
    local = _settings(args).local_dir
    for service in reversed(services(0, 0)):
        pid = _running_pid(local, service.name)
        if not pid:
            continue
        print(f"stopping {service.name} (pid {pid})")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)  # its own session: the whole process group (gunicorn workers too)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _running_pid(local, service.name):
            time.sleep(0.5)
        if _running_pid(local, service.name):
            os.killpg(pid, signal.SIGKILL)
        _pid_file(local, service.name).unlink(missing_ok=True)
    print("planwatch services stopped")
    return 0


def status(args: argparse.Namespace) -> int:
    settings = _settings(args)
    for service in services(*_ports(args, settings)):
        pid = _running_pid(settings.local_dir, service.name)
        print(f"{service.name:18} {'running, pid ' + str(pid) if pid else 'stopped'}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("services", help="start/stop the Dagster UI, daemon and Superset in the background")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, handler, text in (
        ("start", start, "start every service in the background and wait until it answers"),
        ("stop", stop, "stop every service started by `services start`, by PID"),
        ("status", status, "which services are running"),
    ):
        action = sub.add_parser(name, help=text)
        action.add_argument("--dagster-port", type=int, help="default PLANWATCH_DAGSTER_PORT or 3000")
        action.add_argument("--superset-port", type=int, help="default PLANWATCH_SUPERSET_PORT or 8088")
        action.add_argument("--timeout", type=float, default=180.0)
        action.add_argument("--skip", action="append", default=[], help="a service not to start (repeatable)")
        action.set_defaults(handler=handler)
