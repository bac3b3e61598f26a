"""Webhooks benchmark: the engine (`markethub worker`: dispatch, sign, POST, persist every
attempt) side by side with a bare POST loop (one reused httpx.Client) to the same receiver, in
the same run; then event → delivery latency at a steady event rate.

    .venv/bin/python bench/webhooks_bench.py [--events 20000] [--processes 2] [--rate 200]

Needs PostgreSQL and Redis (its own database and Redis db: BENCH_WEBHOOKS_DATABASE_URL,
BENCH_WEBHOOKS_REDIS_URL). Targets (issue 3): >= 1,000 deliveries/s with every attempt
persisted; p99 event → delivery latency < 1 s at 200 events/s.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

import fresh_database  # a sibling module: bench/ is the script's folder

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("BENCH_WEBHOOKS_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/mh_webhooks_bench")
REDIS_URL = os.environ.get("BENCH_WEBHOOKS_REDIS_URL", "redis://127.0.0.1:6379/13")
RECEIVER_PORT = 5711


# --- the receiver: raw asyncio HTTP/1.1 with keep-alive, so it is not the bottleneck ----------

class Receiver(asyncio.Protocol):
    arrivals: dict[str, float] = {}
    count = 0

    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""

    def data_received(self, data):
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            start = head.find(b"content-length:")
            length = int(head[start + 15:head.find(b"\r\n", start)]) if start >= 0 else 0
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(self._answer(head))

    def _answer(self, head: bytes) -> bytes:
        if head.startswith(b"get /stats"):
            body = json.dumps({"count": Receiver.count, "arrivals": Receiver.arrivals}).encode()
        elif head.startswith(b"get /reset"):
            Receiver.arrivals, Receiver.count, body = {}, 0, b"{}"
        else:
            Receiver.count += 1
            start = head.find(b"webhook-id:")
            if start >= 0:
                message_id = head[start + 11:head.find(b"\r\n", start)].strip().decode()
                Receiver.arrivals.setdefault(message_id, time.time())
            body = b"ok"
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def run_receiver(port: int) -> None:
    async def serve():
        server = await asyncio.get_running_loop().create_server(Receiver, "127.0.0.1", port)
        async with server:
            await server.serve_forever()
    asyncio.run(serve())


def receiver_stats(reset: bool = False) -> dict:
    return httpx.get(f"http://127.0.0.1:{RECEIVER_PORT}/{'reset' if reset else 'stats'}",
                     timeout=30).json()


# --- setup ------------------------------------------------------------------------------------

def bench_env(processes: int) -> dict:
    return {"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
            "MARKETHUB_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "MARKETHUB_OUTBOUND_ALLOWED_NETWORKS": '["127.0.0.1/32"]',
            "MARKETHUB_WEBHOOK_PROCESSES": str(processes)}


def make_app():
    from markethub.platform.app import create_app
    from markethub.platform.settings import Settings

    os.environ.update(bench_env(1))
    return create_app(Settings(_env_file=None))


def seed(app):
    """A tenant, a webhook endpoint at the receiver, and a product (its data rides every event)."""
    from flask_migrate import upgrade

    from markethub.platform.cli import operator
    from markethub.platform.events import subscriptions
    from markethub.platform.services import accounts, products

    with app.app_context():
        upgrade()
        principal = operator(accounts.create_tenant("Bench", "enterprise"))
        subscriptions.create_endpoint(principal, app.config["MH_SETTINGS"], {
            "url": f"http://127.0.0.1:{RECEIVER_PORT}/hook", "event_types": ["product.*"]})
        product = products.create_product(principal, {
            "sku": "BENCH-1", "name": "Camiseta Algodão Azul P", "price": Decimal("99.90"),
            "description": "Malha 100% algodão penteado, fio 30.1, costura dupla." * 4})
        return principal, products.represent(product)


# --- measurements -----------------------------------------------------------------------------

def bare_post_loop(count: int, body: bytes) -> float:
    with httpx.Client() as client:
        started = time.perf_counter()
        for index in range(count):
            client.post(f"http://127.0.0.1:{RECEIVER_PORT}/bare", content=body,
                        headers={"content-type": "application/json",
                                 "webhook-id": f"bare_{index}"})
        return count / (time.perf_counter() - started)


def preload_events(app, tenant_id: str, data: dict, count: int) -> None:
    from markethub.platform.db import utcnow, write_transaction
    from markethub.platform.ids import new_id
    from markethub.platform.models import Event

    now = utcnow()
    rows = [{"id": new_id("evt"), "tenant_id": tenant_id, "type": "product.updated",
             "data": data, "origin": "bench", "created_at": now} for _ in range(count)]
    with app.app_context(), write_transaction() as session:
        session.execute(insert(Event), rows)


def succeeded(app) -> tuple[int, int]:
    from markethub.platform.extensions import db
    from markethub.platform.models import WebhookAttempt, WebhookDelivery

    with app.app_context():
        done = db.session.execute(select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.status == "succeeded")).scalar()
        attempts = db.session.execute(select(func.count()).select_from(WebhookAttempt)).scalar()
        db.session.remove()
    return done, attempts


def engine_throughput(app, tenant_id: str, data: dict, count: int) -> dict:
    from markethub.platform.events.wakeup import wake

    preload_events(app, tenant_id, data, count)
    started = time.perf_counter()
    wake(app.config["MH_SETTINGS"])
    timeline = [(0.0, 0)]
    while timeline[-1][1] < count and time.perf_counter() - started < 300:
        time.sleep(0.25)
        timeline.append((time.perf_counter() - started, succeeded(app)[0]))
    elapsed = timeline[-1][0]

    def at(fraction):
        return next(t for t, done in timeline if done >= fraction * count)
    sustained = 0.8 * count / (at(0.9) - at(0.1))
    return {"count": timeline[-1][1], "attempts": succeeded(app)[1], "seconds": elapsed,
            "rate": timeline[-1][1] / elapsed, "sustained": sustained}


def steady_latency(app, principal, data: dict, rate: int, seconds: float) -> dict:
    """Writes `rate` events a second the way every service does — an outbox row committed in its
    own write transaction, which wakes the workers — and times each one to the receiver."""
    from markethub.platform.db import write_transaction
    from markethub.platform.extensions import db
    from markethub.platform.services import outbox

    receiver_stats(reset=True)
    total, created = int(rate * seconds), {}
    started = time.perf_counter()
    with app.app_context():
        for index in range(total):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            with write_transaction() as session:
                event = outbox.emit(session, principal, "product.updated", data)
            created[event["id"]] = event["created_at"]
        achieved = total / (time.perf_counter() - started)
        db.session.remove()
    deadline = time.time() + 30
    while len(arrived := receiver_stats()["arrivals"]) < len(created) and time.time() < deadline:
        time.sleep(0.2)
    latencies = sorted((arrived[i] - at.timestamp()) * 1000 for i, at in created.items()
                       if i in arrived)
    quantiles = statistics.quantiles(latencies, n=100)
    return {"count": len(latencies), "expected": len(created), "achieved_rate": achieved,
            "p50": quantiles[49], "p95": quantiles[94], "p99": quantiles[98],
            "max": latencies[-1]}


# --- orchestration ----------------------------------------------------------------------------

def start_workers(processes: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "markethub"), "worker"], cwd=REPO,
                            env={**os.environ, **bench_env(processes)}, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)


def report(bare: list[float], engine: dict, latency: dict, args) -> dict:
    baseline = statistics.mean(bare)
    print(f"\n{'scenario':60} {'count':>7} {'per second':>11}")
    print(f"{'bare POST loop (one reused httpx.Client, sequential)':60} {5000:>7,} "
          f"{baseline:>11,.0f}  (before/after: {bare[0]:,.0f}/{bare[1]:,.0f})")
    label = f"webhooks engine, {args.processes} delivery process(es), end to end"
    print(f"{label:60} {engine['count']:>7,} {engine['rate']:>11,.0f}")
    print(f"{'  same, sustained (10% → 90% of the run)':60} {'':>7} {engine['sustained']:>11,.0f}")
    print(f"  engine / bare: {engine['sustained'] / baseline:.0%}; attempts persisted: "
          f"{engine['attempts']:,} for {engine['count']:,} deliveries")
    print(f"\nevent → delivery latency at {args.rate}/s "
          f"(achieved {latency['achieved_rate']:.0f}/s, "
          f"{latency['count']:,}/{latency['expected']:,} delivered): p50 {latency['p50']:.0f} ms, "
          f"p95 {latency['p95']:.0f} ms, p99 {latency['p99']:.0f} ms, max {latency['max']:.0f} ms")
    return {"args": vars(args), "bare_post_per_second": bare, "engine": engine,
            "latency_ms": latency, "load_average": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2, help="webhook delivery processes")
    parser.add_argument("--rate", type=int, default=200, help="events per second, latency run")
    parser.add_argument("--seconds", type=float, default=20, help="length of the latency run")
    args = parser.parse_args()
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    receiver = subprocess.Popen([sys.executable, __file__, "--receiver"])
    workers = None
    try:
        fresh_database.reset(DATABASE_URL, REDIS_URL)
        app = make_app()
        principal, data = seed(app)
        workers = start_workers(args.processes, results / "webhooks_worker.log")
        time.sleep(3)  # workers import and connect
        body = json.dumps(data).encode()
        bare = [bare_post_loop(5000, body)]
        engine = engine_throughput(app, principal.tenant_id, data, args.events)
        bare.append(bare_post_loop(5000, body))
        latency = steady_latency(app, principal, data, args.rate, args.seconds)
    finally:
        if workers:
            workers.send_signal(signal.SIGTERM)
            workers.wait(30)
        receiver.terminate()
    summary = report(bare, engine, latency, args)
    out = results / f"webhooks-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(summary, indent=2))
    print(f"\nresults: {out.relative_to(REPO)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--receiver"]:
        run_receiver(RECEIVER_PORT)
    else:
        main()
