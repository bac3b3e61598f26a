"""What the hub's Webhooks tests share: a real receiver on 127.0.0.1, settings that allow it as a
webhook target, and the delivery loop run in this process exactly as the webhooks worker runs it.

A test module takes the fixtures by name: `receiver = hub_webhook_support.receiver`."""
from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass

import pytest
from markethub.platform.events.pump import Pump
from markethub.platform.extensions import db
from webhook_cleanup import quiesce
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]{40,}")
TARGET_SETTINGS = {
    "outbound_allowed_networks": ["127.0.0.1/32"],  # the receiver; everything else stays refused
    "webhook_retry_schedule_seconds": [60.0],  # a failed attempt waits: the log stays still
    "webhook_retry_jitter": 0.0,
    "webhook_timeout_seconds": 2.0,
    "webhook_lease_margin_seconds": 1.0,
}


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def event(self) -> str:
        return json.loads(self.body)["event"]


class Receiver:
    """Answers 200 "ok", or the status set for an event type (`statuses["order.cancelled"]`)."""

    def __init__(self):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.requests: list[Received] = []
        self.statuses: dict[str, int] = {}
        self.default_status = 200
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    @Request.application
    def _app(self, request: Request) -> Response:
        received = Received(request.path, dict(request.headers.items()), request.get_data())
        with self.lock:
            self.requests.append(received)
            status = self.statuses.get(received.event, self.default_status)
        return Response("ok" if status < 300 else "indisponível", status=status)

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def webhook_targets(app, monkeypatch):
    """The app's settings with 127.0.0.1 allowed as a webhook target (development only)."""
    settings = app.config["MH_SETTINGS"]
    for name, value in TARGET_SETTINGS.items():
        monkeypatch.setattr(settings, name, value)
    yield settings
    quiesce(app)


def deliver(app, seconds: float = 5.0):
    """Dispatches the outbox and sends what is due, as the webhooks worker's `pump` job does."""
    with app.app_context():
        pump = Pump(app.config["MH_SETTINGS"])
        try:
            return pump.run(seconds)
        finally:
            pump.close()
            db.session.remove()
