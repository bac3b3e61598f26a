"""Integration tests: the real API, database and Redis, and each ERP's sandbox running on a free
port (a real HTTP server in a thread), reached through the platform's settings."""
from __future__ import annotations

import pytest

from erp_support import CREDENTIALS, Sandbox, authorize_bling, point_settings_at


@pytest.fixture
def erp_settings(app, monkeypatch):
    return app.config["MH_SETTINGS"]


@pytest.fixture
def start_erp(erp_settings, monkeypatch):
    """start_erp("omie", rate_limit=False, products=120, ...) -> Sandbox, with the platform's
    settings pointing at it (and fast rate limits unless `limits` say otherwise)."""
    started = []

    def start(key: str, limits: dict | None = None, **options) -> Sandbox:
        options = {"rate_limit": False, "products": 120, "orders": 10, "customers": 10,
                   **options}
        running = Sandbox(key, **options)
        started.append(running)
        point_settings_at(monkeypatch, erp_settings, running, **(limits or {}))
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def connect(api, client):
    """connect("omie", **fields) -> the integration as the API answers it (Bling: authorized
    through the sandbox's consent page)."""
    def make(provider: str, **fields) -> dict:
        body = {"provider": provider, "credentials": dict(CREDENTIALS[provider]), **fields}
        created = api.post("/v1/integrations", json=body)
        assert created.status_code == 201, created.json
        if provider == "bling":
            answer = authorize_bling(client, api, created.json["id"])
            assert answer.status_code == 303, answer.data
            assert "oauth=connected" in answer.headers["location"], answer.headers["location"]
        integration = api.get(f"/v1/integrations/{created.json['id']}").json
        assert integration["status"] == "connected", integration
        return integration
    return make
