"""RQ entry points of the webhooks engine: module-level functions, JSON primitives in and out.

`pump` runs in the webhooks worker (an rq SimpleWorker: no fork per job), which keeps one Pump —
its HTTP connections and sending threads — for the life of the process.
"""
from __future__ import annotations

import os
from dataclasses import asdict

from flask import Flask, current_app, has_app_context

from ..events import wakeup
from ..events.pump import Pump
from ..extensions import db

_app: Flask | None = None
_pumps: dict[int, Pump] = {}  # by pid: threads and sockets do not survive a fork


def worker_app() -> Flask:
    """The app of this process: the worker's (pushed at start), else one made on first use."""
    global _app
    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        from ..app import create_app

        _app = create_app()
    return _app


def _pump_for(app: Flask) -> Pump:
    pid = os.getpid()
    if pid not in _pumps:
        settings = app.config["MH_SETTINGS"]
        _pumps[pid] = Pump(settings, on_backlog=lambda: wakeup.wake_soon(settings))
    return _pumps[pid]


def pump(seconds: float | None = None) -> dict:
    """Dispatch the outbox and send due deliveries until idle or `seconds` (settings) pass."""
    app = worker_app()
    settings = app.config["MH_SETTINGS"]
    with app.app_context():
        try:
            stats = _pump_for(app).run(seconds or settings.webhook_pump_seconds)
        finally:
            db.session.remove()
    if stats.more_work:
        wakeup.wake_soon(settings)  # out of time, not out of work: queue the continuation
    return asdict(stats)


def close_pumps() -> None:
    for pump_ in _pumps.values():
        pump_.close()
    _pumps.clear()
