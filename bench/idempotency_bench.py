"""What an Idempotency-Key costs a `POST /v1/orders`: the same order created with and without a
fresh key, in alternating rounds, through the app in-process (no HTTP server: the difference is
the key's own work and round trips). Baseline: the request without a key, same run.

    .venv/bin/python bench/idempotency_bench.py [--requests 500] [--rounds 4]

Needs PostgreSQL and Redis (as api_bench.py; it wipes its own database and Redis db).
"""
from __future__ import annotations

import argparse
import base64
import statistics
import time
import uuid

import api_bench  # a sibling module: bench/ is the script's folder
import fresh_database


def _client():
    from markethub.platform.app import create_app
    from markethub.platform.settings import Settings

    fresh_database.reset(api_bench.DATABASE_URL, api_bench.REDIS_URL)
    data = api_bench.seed(100)
    app = create_app(Settings(database_url=api_bench.DATABASE_URL, redis_url=api_bench.REDIS_URL,
                              log_level="WARNING", rate_limit_business=100_000_000,
                              _env_file=None))
    client = app.test_client()
    basic = base64.b64encode(f"{data['client_id']}:{data['client_secret']}".encode()).decode()
    token = client.post("/v1/auth/token", data={"grant_type": "client_credentials"},
                        headers={"Authorization": f"Basic {basic}"}).json["access_token"]
    order = {"customer_id": data["customer_id"],
             "items": [{"product_id": data["product_id"], "quantity": 2}]}
    return client, {"Authorization": f"Bearer {token}"}, order


def _round(client, auth, order, requests: int, keyed: bool) -> tuple[float, float]:
    """(wall ms, CPU ms) per request."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        headers = {**auth, "Idempotency-Key": uuid.uuid4().hex} if keyed else auth
        assert client.post("/v1/orders", json=order, headers=headers).status_code == 201
    return ((time.perf_counter() - wall) * 1000 / requests,
            (time.process_time() - cpu) * 1000 / requests)


def main(requests: int, rounds: int) -> None:
    client, auth, order = _client()
    _round(client, auth, order, requests // 5, keyed=True)  # warm up
    runs = {False: [], True: []}
    for _ in range(rounds):
        for keyed in (False, True):
            runs[keyed].append(_round(client, auth, order, requests, keyed))
    print(f"{'POST /v1/orders':26} {'wall ms':>8} {'CPU ms':>7}")
    for keyed, label in ((False, "without a key (baseline)"), (True, "with a fresh key")):
        print(f"{label:26} {statistics.median(w for w, _ in runs[keyed]):8.2f} "
              f"{statistics.median(c for _, c in runs[keyed]):7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="per round and side")
    parser.add_argument("--rounds", type=int, default=4)
    arguments = parser.parse_args()
    main(arguments.requests, arguments.rounds)
