"""Helpers for the integration tests: sandboxes on free ports (real werkzeug servers in threads),
the settings that point the platform at them, connecting through the real API (Bling's consent
page walked like a seller would), and running the jobs the way a worker does."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
from redis import Redis
from rq import Queue, SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import select

from markethub.connectors.bling.sandbox import DEMO_APP
from markethub.connectors.omie.sandbox import DEMO_KEY, DEMO_SECRET
from markethub.connectors.registry import sandbox
from markethub.connectors.sandbox_kit.server import BackgroundServer
from markethub.connectors.tiny.sandbox import DEMO_TOKEN
from markethub.platform.extensions import db
from markethub.platform.integrations import engine, pushes
from markethub.platform.models import Event

CREDENTIALS = {"omie": {"app_key": DEMO_KEY, "app_secret": DEMO_SECRET},
               "tiny": {"token": DEMO_TOKEN},
               "bling": {"client_id": DEMO_APP.client_id, "client_secret": DEMO_APP.client_secret}}
BASE_PATHS = {"bling": "/Api/v3", "omie": "/api/v1", "tiny": "/api2"}
FAST_LIMITS = {"bling_requests_per_second": 1000, "omie_requests_per_minute": 100_000,
               "omie_requests_per_minute_per_method": 100_000, "omie_concurrent_per_method": 8,
               "omie_redundant_window_seconds": 0.0, "tiny_calls_per_minute": 100_000}


class Sandbox:
    """A running sandbox and its test-only endpoints (call log, touch, reset)."""

    def __init__(self, key: str, **options):
        self.key = key
        self.server = BackgroundServer(sandbox(key).create_app(**options)).start()
        self.url = self.server.url
        self.base_url = self.url + BASE_PATHS[key]
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def calls(self, path_prefix: str = "") -> list[dict]:
        calls = self.http.get("/__sandbox/calls").json()["calls"]
        return [c for c in calls if c["path"].startswith(path_prefix)]

    def api_calls(self) -> list[dict]:
        """Calls to the ERP's API, without Bling's OAuth endpoints."""
        return [c for c in self.calls(BASE_PATHS[self.key]) if "/oauth/" not in c["path"]]

    def clear_calls(self) -> None:
        self.http.delete("/__sandbox/calls").raise_for_status()

    def touch(self, count: int, entity: str = "products") -> list:
        return self.http.post("/__sandbox/touch", json={"entity": entity,
                                                        "count": count}).json()["touched"]

    def stop(self) -> None:
        self.http.close()
        self.server.stop()


def point_settings_at(monkeypatch, settings, running: Sandbox, **limits) -> None:
    monkeypatch.setattr(settings, f"{running.key}_base_url", running.base_url)
    if running.key == "bling":
        monkeypatch.setattr(settings, "bling_authorize_url",
                            running.url + "/Api/v3/oauth/authorize")
    for name, value in {**FAST_LIMITS, **limits}.items():
        monkeypatch.setattr(settings, name, value)


def authorize_bling(client, api, integration_id: str) -> httpx.Response:
    """POST oauth/start, press "Autorizar" on the sandbox's page, follow Bling's redirect back
    to our callback (through the test client). Returns the callback's answer."""
    started = api.post(f"/v1/integrations/{integration_id}/oauth/start",
                       json={"return_to": "/hub/integrations"})
    assert started.status_code == 200, started.json
    url = started.json["authorize_url"]
    query = parse_qs(urlparse(url).query)
    with httpx.Client() as browser:
        assert browser.get(url).status_code == 200
        answer = browser.post(url.split("?")[0], data={
            "client_id": query["client_id"][0], "state": query["state"][0],
            "redirect_uri": query["redirect_uri"][0], "decision": "allow"})
    back = urlparse(answer.headers["location"])
    return client.get(f"{back.path}?{back.query}")


def run_sync(app, run_id: str) -> dict:
    """Run a sync run as the job would (in this process)."""
    with app.app_context():
        try:
            return engine.execute(run_id)
        finally:
            db.session.remove()


def run_pushes(app) -> dict:
    with app.app_context():
        try:
            return pushes.run_due(app.config["MH_SETTINGS"], seconds=20)
        finally:
            db.session.remove()


def work_queues(app, names=("sync", "recipes")) -> None:
    """A real RQ worker (no fork), in burst mode, on the given queues."""
    connection = Redis.from_url(app.config["MH_SETTINGS"].redis_url)
    queues = [Queue(name, connection=connection, serializer=JSONSerializer) for name in names]
    with app.app_context():
        SimpleWorker(queues, connection=connection, serializer=JSONSerializer).work(
            burst=True, logging_level="WARNING")


def events(app, tenant_id: str, event_type: str | None = None) -> list[Event]:
    with app.app_context():
        statement = select(Event).where(Event.tenant_id == tenant_id).order_by(Event.id)
        if event_type:
            statement = statement.where(Event.type == event_type)
        rows = db.session.execute(statement).scalars().all()
        db.session.expunge_all()
        return rows
