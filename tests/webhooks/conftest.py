"""Webhook tests run the real engine: an in-process Pump (or real worker processes) sending over
HTTP to a real receiver on 127.0.0.1, with a compressed retry schedule."""
from __future__ import annotations

import time

import pytest
from markethub.platform.events.pump import Pump
from markethub.platform.extensions import db
from markethub.platform.models import WebhookDelivery
from sqlalchemy import func, select
from webhook_cleanup import quiesce
from webhook_receiver import Receiver
from webhook_support import FAST_SETTINGS


@pytest.fixture
def hooks_settings(app, monkeypatch):
    settings = app.config["MH_SETTINGS"]
    for name, value in FAST_SETTINGS.items():
        monkeypatch.setattr(settings, name, value)
    yield settings
    quiesce(app)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


class Engine:
    """Runs the delivery loop in this process, as the webhooks worker would."""

    def __init__(self, app):
        self.app = app

    def run(self, seconds: float = 3.0):
        with self.app.app_context():
            pump = Pump(self.app.config["MH_SETTINGS"])
            try:
                return pump.run(seconds)
            finally:
                pump.close()
                db.session.remove()

    def pending(self) -> int:
        with self.app.app_context():
            try:
                return db.session.execute(select(func.count()).select_from(WebhookDelivery)
                                          .where(WebhookDelivery.status == "pending")).scalar()
            finally:
                db.session.remove()

    def drain(self, timeout: float = 15.0) -> None:
        """Runs until no delivery is pending (retries included)."""
        deadline = time.monotonic() + timeout
        self.run(1.0)
        while self.pending():
            assert time.monotonic() < deadline, "deliveries still pending"
            time.sleep(0.05)
            self.run(1.0)


@pytest.fixture
def engine(app, hooks_settings) -> Engine:
    return Engine(app)


@pytest.fixture
def make_hook(api, receiver, hooks_settings):
    """Creates a webhook endpoint pointing at the receiver; returns the API's answer."""
    def create(path: str = "/hook", **fields) -> dict:
        response = api.post("/v1/webhooks", json={"url": receiver.url(path), **fields})
        assert response.status_code == 201, response.json
        return response.json
    return create


@pytest.fixture
def make_product(api):
    def create(**fields) -> dict:
        body = {"sku": f"SKU-{time.time_ns()}", "name": "Caneca", "price": "19.90", **fields}
        response = api.post("/v1/products", json=body)
        assert response.status_code == 201, response.json
        return response.json
    return create
