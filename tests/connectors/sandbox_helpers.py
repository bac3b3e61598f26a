"""Helpers for the connector tests: a sandbox running on a free port in a background thread
(a real werkzeug server) plus its test-only endpoints, and a connected session."""
from __future__ import annotations

import httpx

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


def connect(key: str, running: Sandbox, **config):
    """A session connected to `running` (Bling's OAuth dance included), own governor."""
    return open_sandbox_session(key, running.url, config)
