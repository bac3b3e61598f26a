"""`make run`'s pieces: the demo tenant's ERP integrations (Omie and Tiny connected to their
sandboxes, Bling waiting for its authorization), the banner, and `markethub sandbox`."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from erp_support import run_sync

from markethub.platform.demo import seed
from markethub.platform.services import integration_runs
from markethub.platform.cli import operator
from markethub.platform.extensions import db
from markethub.platform.models import Tenant

MARKETHUB = Path(sys.executable).parent / "markethub"


def test_the_demo_tenant_gets_its_erp_integrations_once(app, tmp_path, start_erp):
    start_erp("omie", products=10, orders=0)
    output = tmp_path / "demo.json"
    name = f"Demo {time.time_ns()}"
    with app.app_context():
        first = seed(output, name, f"{time.time_ns()}@demo.local", "senha-longa-demo")
        output.unlink()  # a later `make seed` with no file: the tenant is there already
        again = seed(output, name, f"{time.time_ns()}@demo.local", "senha-longa-demo")
        tenant = db.session.query(Tenant).filter_by(name=name).one()
        omie = next(i for i in first["integrations"] if i["provider"] == "omie")
        run = integration_runs.request_sync(operator(tenant), app.config["MH_SETTINGS"],
                                            omie["id"])
        db.session.remove()
    statuses = {row["provider"]: row["status"] for row in first["integrations"]}
    assert statuses == {"omie": "connected", "tiny": "connected", "bling": "disconnected"}
    assert [row["id"] for row in again["integrations"]] == [row["id"] for row in
                                                              first["integrations"]]
    assert set(first["erp_sandboxes"]) == {"bling", "omie", "tiny"}
    assert run_sync(app, run.id)["status"] == "succeeded"  # the stored keys really work

    banner = subprocess.run([sys.executable, "-m", "markethub.platform.banner", str(output)],
                            capture_output=True, text=True, check=True).stdout
    assert "ERP sandboxes:" in banner and omie["id"] in banner
    assert "oauth/start" in banner  # how to connect Bling


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_markethub_sandbox_serves_an_erp(settings):
    port = _free_port()
    env = {"DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
           "PATH": str(MARKETHUB.parent)}
    process = subprocess.Popen([str(MARKETHUB), "sandbox", "tiny", "--port", str(port),
                                "--products", "5", "--no-rate-limit"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}/api2/info.php",
                                    data={"token": "tiny-sandbox-token-0001", "formato": "json"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert answer.json()["retorno"]["status"] == "OK"
    finally:
        process.terminate()
        process.wait(10)
