"""What the hub's Integrações tests share: the ERP sandboxes on free ports with the app's
settings pointing at them (tests/integrations/erp_support.py), Bling's consent page walked like a
seller, and the sync jobs run by a real RQ worker in this process, as the sync worker runs them.

A test module takes the fixture by name: `erp = hub_integration_support.erp`."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from integrations.erp_support import (CREDENTIALS, Sandbox, point_settings_at,  # noqa: F401
                                      run_pushes, work_queues)

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
SMALL_CATALOGUE = {"rate_limit": False, "products": 12, "orders": 3, "customers": 3}


@pytest.fixture
def erp(app, monkeypatch):
    """erp("tiny", products=20) -> a running Sandbox; the app's settings point at it (fast
    rate limits). Stopped after the test."""
    started = []

    def start(key: str, **options) -> Sandbox:
        running = Sandbox(key, **{**SMALL_CATALOGUE, **options})
        started.append(running)
        point_settings_at(monkeypatch, app.config["MH_SETTINGS"], running)
        return running

    yield start
    for running in started:
        running.stop()


def consent(authorize_url: str, decision: str = "allow") -> str:
    """Press Autorizar (or Cancelar) on the Bling sandbox's page; the URL Bling sends the
    browser back to (our callback, with code and state)."""
    query = parse_qs(urlparse(authorize_url).query)
    with httpx.Client() as browser:
        assert browser.get(authorize_url).status_code == 200
        answer = browser.post(authorize_url.split("?")[0], data={
            "client_id": query["client_id"][0], "state": query["state"][0],
            "redirect_uri": query["redirect_uri"][0], "decision": decision})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def run_sync_jobs(app) -> None:
    """A real RQ worker in burst mode on the sync queue: runs what Sincronizar Agora queued."""
    work_queues(app, names=("sync",))
