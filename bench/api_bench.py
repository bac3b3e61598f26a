"""API benchmark: our endpoints under gunicorn (real JWT auth, rate limiting, logging) side by
side with a bare Flask + SQLAlchemy app running the same queries, in the same run.

    make bench            # or: .venv/bin/python bench/api_bench.py [--seconds 3] [--rounds 8]

Needs PostgreSQL, Redis and `hey` (apt-get install hey). Targets (issue 2): reads at >= 70% of
the bare endpoint's throughput; p99 < 50 ms at half of peak load.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

import fresh_database  # a sibling module: bench/ is the script's folder

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/markethub_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
OURS, BARE = 5601, 5602
GUNICORN = ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]


def seed(products: int = 1000) -> dict:
    """Migrate and create a business-plan tenant with products, a customer and an OAuth client."""
    from flask_migrate import upgrade

    from markethub.platform.app import create_app
    from markethub.platform.cli import operator
    from markethub.platform.services import accounts, credentials, customers
    from markethub.platform.services.products import create_product
    from markethub.platform.settings import Settings

    app = create_app(Settings(database_url=DATABASE_URL, redis_url=REDIS_URL,
                              log_level="WARNING", _env_file=None))
    with app.app_context():
        upgrade()
        tenant = accounts.create_tenant("Bench", "business")
        principal = operator(tenant)
        client, secret = credentials.create_oauth_client(
            principal, "bench", ["products:read", "orders:write", "orders:read"])
        ids = [create_product(principal, {"sku": f"SKU-{i:05d}", "name": f"Produto {i}",
                                          "price": "99.90"}).id for i in range(products)]
        customer = customers.create_customer(principal, {"name": "Cliente Bench"})
        return {"tenant_id": tenant.id, "client_id": client.id, "client_secret": secret,
                "product_id": ids[len(ids) // 2], "customer_id": customer.id}


def start(port: int, app_path: str, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(REPO / "platform/gunicorn.conf.py"), *GUNICORN,
         "--bind", f"127.0.0.1:{port}", app_path],
        cwd=REPO, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start; see {log}")


def hey(url: str, seconds: int, concurrency: int, headers: dict, body: str | None = None,
        qps_per_worker: float | None = None) -> dict:
    command = ["hey", "-z", f"{seconds}s", "-c", str(concurrency), "-t", "10"]
    if qps_per_worker:
        command += ["-q", f"{qps_per_worker:.2f}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if body is not None:
        command += ["-m", "POST", "-T", "application/json", "-d", body]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    statuses = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", output))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p99_ms": float(re.search(r"99% in ([\d.]+) secs", output).group(1)) * 1000,
            "statuses": {code: int(n) for code, n in statuses.items()}}


def run(seconds: int, rounds: int) -> list[dict]:
    if shutil.which("hey") is None:
        sys.exit("hey is missing: apt-get install hey")
    fresh_database.reset(DATABASE_URL, REDIS_URL)
    data = seed()
    results_dir = REPO / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    env = {"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
           "MARKETHUB_RATE_LIMIT_BUSINESS": "100000000", "MARKETHUB_LOG_LEVEL": "INFO",
           "BENCH_DATABASE_URL": DATABASE_URL.replace("+psycopg", "+psycopg"),
           "BENCH_TENANT_ID": data["tenant_id"], "PYTHONPATH": str(REPO / "bench")}
    servers = [start(OURS, "markethub.platform.wsgi:app", env, results_dir / "ours.log"),
               start(BARE, "bare_app:app", env, results_dir / "bare.log")]
    try:
        token = httpx.post(f"http://127.0.0.1:{OURS}/v1/auth/token",
                           data={"grant_type": "client_credentials"},
                           auth=(data["client_id"], data["client_secret"])).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        order = json.dumps({"customer_id": data["customer_id"],
                            "items": [{"product_id": data["product_id"], "quantity": 2}]})
        cases = [("GET /v1/products/{id}", f"/v1/products/{data['product_id']}",
                  f"/products/{data['product_id']}", None),
                 ("GET /v1/products?limit=50", "/v1/products?limit=50", "/products?limit=50", None),
                 ("POST /v1/orders", "/v1/orders", "/orders", order)]
        return [measure(name, ours, bare, body, auth, seconds, rounds)
                for name, ours, bare, body in cases]
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)


def measure(name, ours_path, bare_path, body, auth, seconds, rounds) -> dict:
    """Peak throughput in alternating rounds (ours, bare, ours, bare, ...), so that a noisy
    neighbour slows both alike: the ratio is the median of the rounds' ratios. Then p99 at half
    of each one's median peak."""
    concurrency = 16
    ours_url, bare_url = f"http://127.0.0.1:{OURS}{ours_path}", f"http://127.0.0.1:{BARE}{bare_path}"
    hey(ours_url, 2, concurrency, auth, body)  # warm up
    hey(bare_url, 2, concurrency, {}, body)
    ours_runs, bare_runs = [], []
    for _ in range(rounds):
        ours_runs.append(hey(ours_url, seconds, concurrency, auth, body))
        bare_runs.append(hey(bare_url, seconds, concurrency, {}, body))
    ours_rps = statistics.median(run["rps"] for run in ours_runs)
    bare_rps = statistics.median(run["rps"] for run in bare_runs)
    # Latency at half of the median peak, over longer runs: a p99 needs a thousand requests.
    ours_half = hey(ours_url, 3 * seconds, 8, auth, body, ours_rps / 2 / 8)
    bare_half = hey(bare_url, 3 * seconds, 8, {}, body, bare_rps / 2 / 8)
    statuses: dict[str, int] = {}
    for run in ours_runs:
        for code, count in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    paired = [o["rps"] / b["rps"] for o, b in zip(ours_runs, bare_runs, strict=True)]
    return {"endpoint": name, "ours_rps": ours_rps, "bare_rps": bare_rps,
            "ratio": statistics.median(paired), "rounds": [round(r, 3) for r in paired],
            "ours_p99_peak_ms": statistics.median(run["p99_ms"] for run in ours_runs),
            "ours_p99_half_ms": ours_half["p99_ms"], "bare_p99_half_ms": bare_half["p99_ms"],
            "ours_half_rps": ours_half["rps"], "statuses": statuses}


def report(results: list[dict]) -> None:
    print(f"\n{'endpoint':28} {'ours req/s':>10} {'bare req/s':>10} {'ratio':>6} "
          f"{'p99@half ours':>14} {'p99@half bare':>14} {'p99@peak':>9}  statuses")
    for r in results:
        print(f"{r['endpoint']:28} {r['ours_rps']:10.0f} {r['bare_rps']:10.0f} "
              f"{r['ratio']:6.0%} {r['ours_p99_half_ms']:11.1f} ms {r['bare_p99_half_ms']:11.1f} ms"
              f" {r['ours_p99_peak_ms']:6.1f} ms  {r['statuses']}  rounds {r['rounds']}")
    out = REPO / "bench" / "results" / f"api-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nsaved {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="per peak run")
    parser.add_argument("--rounds", type=int, default=8, help="alternating peak runs per side")
    arguments = parser.parse_args()
    report(run(arguments.seconds, arguments.rounds))
