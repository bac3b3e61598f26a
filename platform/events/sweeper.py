"""The safety net: every few seconds, if the database holds undispatched events or due deliveries
nobody has leased, make sure a pump job is queued. This is what makes a killed worker, a lost
wake-up or a flushed Redis lose nothing: it lives in the worker process, not in Redis.

It also ticks the ERP integrations' scheduler and, every `maintenance_interval_minutes`, the
housekeeping (services/maintenance.py). Several workers doing the same is harmless: each step is
a claim or an idempotent DELETE.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from ..db import utcnow
from ..extensions import db
from ..integrations import scheduler
from ..services.maintenance import housekeep
from .claims import has_due_work
from .wakeup import wake

log = logging.getLogger("markethub.webhooks")


def sweep_once(app: Flask) -> bool:
    """True if there was work (and a pump is now queued)."""
    with app.app_context():
        try:
            if not has_due_work(db.session, utcnow()):
                return False
        finally:
            db.session.remove()
        wake(app.config["MH_SETTINGS"])
        return True


class Sweeper(threading.Thread):
    def __init__(self, app: Flask):
        super().__init__(name="webhook-sweeper", daemon=True)
        self.app = app
        self.interval = app.config["MH_SETTINGS"].webhook_sweep_interval_seconds
        self.next_housekeeping = time.monotonic()  # at start, then every interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                sweep_once(self.app)
                scheduler.tick(self.app)  # ERP integrations: automatic syncs, stalls, pushes
                self.housekeep_if_due()
            except (SQLAlchemyError, RedisError):  # down for a moment: the next tick retries
                log.warning("webhook sweep failed; retrying in %.1f s", self.interval,
                            exc_info=True)
            self.stopping.wait(self.interval)

    def housekeep_if_due(self) -> None:
        if time.monotonic() < self.next_housekeeping:
            return
        settings = self.app.config["MH_SETTINGS"]
        with self.app.app_context():
            purged = housekeep(settings)
        log.info("housekeeping: deleted %s", purged)
        # Only after it worked: a failed run is retried on the next sweep.
        self.next_housekeeping = time.monotonic() + settings.maintenance_interval_minutes * 60

    def stop(self) -> None:
        self.stopping.set()
