"""Wakes the webhook workers right after events commit: the fast path from write to delivery.

Redis only carries the nudge — a `pump` job that drains whatever is due in the database. If Redis
is down or flushed, the nudge is lost but the work is not: the sweeper in every worker sees the
undispatched events and due deliveries and enqueues a pump itself.
"""
from __future__ import annotations

import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import event

from ..extensions import db
from ..settings import Settings

log = logging.getLogger("markethub.webhooks")

QUEUE = "webhooks"
PUMP_JOB = "markethub.platform.jobs.webhooks.pump"
_FLAG = "markethub_wake_webhooks"
_connections: dict[str, Redis] = {}


def redis_connection(url: str) -> Redis:
    if url not in _connections:
        _connections[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    return _connections[url]


def pump_queue(settings: Settings) -> Queue:
    return Queue(QUEUE, connection=redis_connection(settings.redis_url),
                 serializer=JSONSerializer)


def wake(settings: Settings) -> bool:
    """Makes sure a pump job is waiting; True if this call enqueued one."""
    queue = pump_queue(settings)
    if queue.count > 0:
        return False  # a waiting pump starts after our commit, so it will see our work
    job_timeout = int(settings.webhook_pump_seconds + 2 * settings.webhook_timeout_seconds + 60)
    queue.enqueue(PUMP_JOB, job_timeout=job_timeout, result_ttl=0, failure_ttl=86_400,
                  description="webhooks: dispatch events and send due deliveries")
    return True


def wake_soon(settings: Settings) -> None:
    """Best effort: the database already holds the work, and the sweeper will find it."""
    try:
        wake(settings)
    except RedisError:
        log.warning("could not reach Redis to wake the webhook workers; the sweeper will",
                    exc_info=True)


def request_wakeup(session) -> None:
    """Wake the workers when `session` commits: new events (outbox.emit) or deliveries due now."""
    session.info[_FLAG] = True


def _after_commit(session) -> None:
    if session.in_nested_transaction():  # a savepoint (db.batch): wait for the real commit
        return
    if session.info.pop(_FLAG, False):
        wake_soon(current_app.config["MH_SETTINGS"])


def _after_rollback(session) -> None:
    session.info.pop(_FLAG, None)


def install() -> None:
    """Listen on the app's sessions (once per process, however many apps are created)."""
    for name, listener in (("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
