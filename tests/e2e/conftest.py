"""Browser fixtures: the real app on a free port (`live_server`) and a Chromium page.

Without Chromium (/usr/bin/chromium, or MARKETHUB_CHROMIUM) or playwright the browser tests skip
with the reason, unless MARKETHUB_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from markethub.platform.services import accounts

CHROMIUM = Path(os.environ.get("MARKETHUB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HUB_PASSWORD = "senha-do-navegador"


def _browser_unavailable(reason: str):
    if os.environ.get("MARKETHUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and MARKETHUB_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app):
    """The app under a real HTTP server in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _browser_unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server, locale="pt-BR",
                                  viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@dataclass
class HubLogin:
    tenant_id: str
    tenant_name: str
    email: str
    password: str = HUB_PASSWORD


@pytest.fixture
def hub_login(app) -> HubLogin:
    """A new tenant with one hub user."""
    with app.app_context():
        tenant = accounts.create_tenant(f"Loja Navegador {time.time_ns()}", "professional")
        email = f"navegador-{uuid.uuid4().hex[:10]}@loja.example"
        accounts.create_hub_user(tenant.id, email, HUB_PASSWORD, "Bruna Lima")
        return HubLogin(tenant.id, tenant.name, email)


@pytest.fixture
def signed_in_page(browser_page, hub_login):
    """`browser_page` after signing in through the login form as `hub_login`."""
    browser_page.goto("/hub/")
    browser_page.get_by_label("E-mail").fill(hub_login.email)
    browser_page.get_by_label("Senha").fill(hub_login.password)
    browser_page.get_by_role("button", name="Entrar").click()
    browser_page.wait_for_url("**/hub/")
    return browser_page
