"""Nothing is lost: real worker processes, `kill -9` in the middle of a burst, Redis flushed, and
every event still reaches every endpoint — duplicates allowed, always with the same webhook-id."""
from __future__ import annotations

import signal
import time

import redis
from standardwebhooks import Webhook

from webhook_receiver import Answer
from webhook_support import start_worker, stop


def _product_event_ids(api) -> set[str]:
    ids, cursor = set(), None
    while True:
        page = api.get("/v1/events?type=product.created&limit=100"
                       + (f"&cursor={cursor}" if cursor else "")).json
        ids |= {event["id"] for event in page["data"]}
        if not page["has_more"]:
            return ids
        cursor = page["next_cursor"]


def _burst(make_product, count: int) -> None:
    for _ in range(count):
        make_product()


def _wait_until_all_arrive(receiver, expected: set, timeout: float) -> set:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        arrived = {(r.headers["webhook-id"], r.path) for r in receiver.received()}
        if expected <= arrived:
            return arrived
        time.sleep(0.1)
    return {(r.headers["webhook-id"], r.path) for r in receiver.received()}


def test_kill_9_mid_burst_and_a_flushed_redis_lose_nothing(api, make_hook, make_product, receiver,
                                                           hooks_settings, tmp_path):
    for path in ("/a", "/b"):
        receiver.script(path, default=Answer(delay=0.01))
    secrets = {"/a": make_hook("/a")["secret"], "/b": make_hook("/b")["secret"]}
    log = tmp_path / "workers.log"
    first = start_worker(hooks_settings, log, "--pool", "webhooks")
    try:
        _burst(make_product, 120)
        receiver.wait_for(40, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        delivered_before_kill = len(receiver.received())
        _burst(make_product, 120)  # the rest of the burst: no worker running
        redis.Redis.from_url(hooks_settings.redis_url).flushdb()  # queued wake-ups are gone
        second = start_worker(hooks_settings, log, "--pool", "webhooks")
        expected = {(event_id, path) for event_id in _product_event_ids(api)
                    for path in ("/a", "/b")}
        arrived = _wait_until_all_arrive(receiver, expected, timeout=60)
    finally:
        stop(first)
        assert stop(second) == 0, log.read_text()[-3000:]

    assert len(expected) == 480
    assert delivered_before_kill >= 40  # killed while sending; half the burst came after
    assert expected - arrived == set(), log.read_text()[-3000:]
    for request in receiver.received():
        payload = Webhook(secrets[request.path]).verify(request.body, request.headers)
        assert payload["id"] == request.headers["webhook-id"]  # stable across duplicates
