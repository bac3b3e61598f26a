"""Connector tests: each sandbox runs on a free port in a background thread (a real werkzeug
server) and the connector talks to it over real HTTP. Seeds are small to keep the suite fast;
tests that need the ERP's real limits build their own server."""
from __future__ import annotations

import httpx
import pytest

from markethub.connectors.registry import sandbox
from markethub.connectors.sandbox_kit.connect import open_sandbox_session
from markethub.connectors.sandbox_kit.server import BackgroundServer


class Sandbox:
    """A running sandbox plus its test-only endpoints."""

    def __init__(self, app):
        self.app = app
        self.server = BackgroundServer(app).start()
        self.url = self.server.url
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def calls(self, path_prefix: str = "") -> list[dict]:
        calls = self.http.get("/__sandbox/calls").json()["calls"]
        return [c for c in calls if c["path"].startswith(path_prefix)]

    def clear_calls(self) -> None:
        self.http.delete("/__sandbox/calls").raise_for_status()

    def reset(self) -> None:
        self.http.post("/__sandbox/reset").raise_for_status()

    def touch(self, count: int, entity: str = "products") -> list[int]:
        answer = self.http.post("/__sandbox/touch", json={"entity": entity, "count": count})
        return answer.json()["touched"]

    def stop(self) -> None:
        self.http.close()
        self.server.stop()


@pytest.fixture
def start_sandbox():
    """start_sandbox("bling", app=None, **create_app_options) -> Sandbox (stopped afterwards)."""
    started = []

    def start(key: str, app=None, **options) -> Sandbox:
        running = Sandbox(app or sandbox(key).create_app(**options))
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def connect(key: str, running: Sandbox, **config):
    return open_sandbox_session(key, running.url, config)
