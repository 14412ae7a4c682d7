"""Helpers of the BI tests (shared by conftest.py and the test modules)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
SUPERSET_VENV = REPO / "superset_config" / ".venv"
ADMIN_USER = "pw-test-admin"
ADMIN_PASSWORD = "pw-test-admin-password"  # test-only; set through the environment like an operator would
DEMO_PASSWORD = "pw-test-demo-password"
DASHBOARDS = {
    "cockpit": "领导驾驶舱",
    "theme": "主题详情",
    "indicator": "指标详情",
    "plan-completion": "规划完成情况",
    "data-quality": "数据质量",
    "peers": "区域对比",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(local: Path, warehouse: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PLANWATCH_", "SUPERSET_", "DAGSTER_")) and k != "PYTHONPATH"}
    env.update({
        "PLANWATCH_LOCAL": str(local),
        "PLANWATCH_WAREHOUSE": str(warehouse),
        "PLANWATCH_ADMIN_USER": ADMIN_USER,
        "PLANWATCH_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PLANWATCH_LOCAL_DEMO": "1",
        "PLANWATCH_DEMO_PASSWORD": DEMO_PASSWORD,
        "PLANWATCH_SUPERSET_WORKERS": "2",
        "PYTHONPATH": str(REPO),
    })
    return env


def planwatch(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planwatch.cli", "superset", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


@dataclass
class SupersetServer:
    base: str
    local: Path
    warehouse_db: Path  # the served file Superset reads (a copy this fixture owns)
    bootstrap_output: str

    def session(self, user: str, password: str) -> requests.Session:
        """A REST session logged in as `user` (bearer token + CSRF token for POSTs)."""
        s = requests.Session()
        r = s.post(f"{self.base}/api/v1/security/login", timeout=30,
                   json={"username": user, "password": password, "provider": "db", "refresh": False})
        assert r.status_code == 200, f"login of {user} failed: {r.status_code} {r.text[:300]}"
        s.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        r = s.get(f"{self.base}/api/v1/security/csrf_token/", timeout=30)
        assert r.status_code == 200, r.text[:300]
        s.headers["X-CSRFToken"] = r.json()["result"]
        s.headers["Referer"] = self.base
        return s

    def admin(self) -> requests.Session:
        return self.session(ADMIN_USER, ADMIN_PASSWORD)

    def database_id(self, s: requests.Session) -> int:
        q = json.dumps({"filters": [{"col": "database_name", "opr": "eq", "value": "planwatch"}]})
        r = s.get(f"{self.base}/api/v1/database/", params={"q": q}, timeout=30)
        assert r.status_code == 200, r.text[:300]
        return r.json()["result"][0]["id"]

    def dashboards(self, s: requests.Session) -> dict[str, dict]:
        r = s.get(f"{self.base}/api/v1/dashboard/", params={"q": json.dumps({"page_size": 100})}, timeout=30)
        assert r.status_code == 200, r.text[:300]
        return {d["slug"]: d for d in r.json()["result"]}
