"""Connector tests: each sandbox runs on a free port in a background thread (a real werkzeug
server) and the connector talks to it over real HTTP. Seeds are small to keep the suite fast;
tests that need the ERP's real limits build their own server."""
from __future__ import annotations

import pytest
from sandbox_helpers import Sandbox

from markethub.connectors.registry import sandbox


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
