"""The Redis rate governor: sliding windows shared by every process of one ERP account.

Two workers — separate Governor objects on separate Redis connections, as two processes would
have — call one Bling account through its sandbox, which enforces Bling's 3 requests/s with
Bling's own 429: none is ever received, and no second holds more than 3 requests."""
from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime

from redis import Redis

from markethub.connectors.sdk import Concurrency, Governor, Rule
from markethub.connectors.sdk.session import open_session
from markethub.platform.extensions import db
from markethub.platform.integrations.connections import (connector_for, effective_config,
                                                         session_credentials)
from markethub.platform.integrations.governor import RedisBackend
from markethub.platform.models import Integration


def _backend(app) -> RedisBackend:
    return RedisBackend(Redis.from_url(app.config["MH_SETTINGS"].redis_url),
                        prefix=f"test:{uuid.uuid4().hex}:")


def test_reserve_is_all_or_nothing_and_says_how_long_to_wait(app):
    backend = _backend(app)
    second, minute = Rule("acct:s", 2, 1.0), Rule("acct:m", 3, 60.0)
    assert backend.reserve([second, minute]) == 0.0
    assert backend.reserve([second, minute]) == 0.0
    wait = backend.reserve([second, minute])
    assert 0.0 < wait <= 1.0  # the per-second window is full
    time.sleep(wait)
    assert backend.reserve([second, minute]) == 0.0  # third call: fits both
    # 1 or 2: the second call may still be inside the per-second window, by scheduling luck
    per_second = backend.redis.zcard(backend.prefix + "w:acct:s")
    blocked = backend.reserve([second, minute])
    assert 55.0 < blocked <= 60.0  # now the minute is full, and the refusal counted nowhere:
    assert backend.redis.zcard(backend.prefix + "w:acct:m") == 3
    assert backend.redis.zcard(backend.prefix + "w:acct:s") <= per_second


def test_concurrency_slots_are_shared_and_given_back(app):
    backend = _backend(app)
    other = RedisBackend(Redis.from_url(app.config["MH_SETTINGS"].redis_url),
                         prefix=backend.prefix)
    slot = Concurrency("acct:ListarProdutos", 2, lease=30)
    first, second = backend.enter(slot), other.enter(slot)
    assert first and second and other.enter(slot) is None
    backend.leave(slot, first)
    assert other.enter(slot) is not None


def test_a_crashed_holder_frees_its_slot_when_its_lease_ends(app):
    backend = _backend(app)
    slot = Concurrency("acct:Incluir", 1, lease=0.3)
    assert backend.enter(slot) is not None  # never given back
    assert backend.enter(slot) is None
    time.sleep(0.35)
    assert backend.enter(slot) is not None


def _bling_session(app, integration_id: str, governor: Governor):
    settings = app.config["MH_SETTINGS"]
    with app.app_context():
        row = db.session.get(Integration, integration_id)
        credentials = session_credentials(settings, row)
        config = effective_config(settings, row)
        db.session.remove()
    return open_session(connector_for("bling"), credentials, config=config, governor=governor)


def test_two_workers_on_one_bling_account_never_exceed_three_per_second(app, start_erp,
                                                                       connect):
    bling = start_erp("bling", rate_limit=True, products=5, orders=0,
                      limits={"bling_requests_per_second": 3})
    integration = connect("bling")
    time.sleep(1.1)  # connecting used this second's budget
    bling.clear_calls()
    prefix = f"test:{uuid.uuid4().hex}:"
    failures = []

    def worker():
        governor = Governor(RedisBackend(Redis.from_url(app.config["MH_SETTINGS"].redis_url),
                                         prefix=prefix))
        session = _bling_session(app, integration["id"], governor)
        try:
            for _ in range(9):
                session.test()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            session.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    elapsed = time.monotonic() - started

    calls = bling.api_calls()
    assert failures == []
    assert len(calls) == 18 and [c for c in calls if c["status"] == 429] == []
    times = sorted(datetime.fromisoformat(c["time"]).timestamp() for c in calls)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 3
    assert elapsed >= 5.0  # 18 calls at 3/s: the governor made them wait
