"""The Integrações page in real Chromium, with the Bling, Omie and Tiny sandboxes running on free
ports and the app's settings pointing at them: connect each ERP (Bling through the sandbox's
consent page), press Sincronizar Agora, let a real RQ worker run the job, and read the run with
its counts in the sync log (the page refreshes itself while the run is going)."""
from __future__ import annotations

import re

import pytest

import hub_integration_support as support
from hub_integration_support import CREDENTIALS, run_sync_jobs

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under MARKETHUB_REQUIRE_BROWSER=1
    expect = None

erp = support.erp  # fixture, shared
SCREENSHOT = "/tmp/hub-integrations.png"
PHONE_SCREENSHOT = "/tmp/hub-integrations-phone.png"
LOG_SCREENSHOT = "/tmp/hub-integrations-log.png"
RUN_SCREENSHOT = "/tmp/hub-integrations-run.png"
PHONE_LOG_SCREENSHOT = "/tmp/hub-integrations-log-phone.png"
CONFIG_SCREENSHOT = "/tmp/hub-integrations-config-phone.png"
PRODUCTS = {"bling": 15, "omie": 12, "tiny": 10}
LABELS = {"bling": "Bling ERP", "omie": "Omie", "tiny": "Tiny ERP"}
pytestmark = pytest.mark.browser


@pytest.fixture
def sandboxes(app, erp, live_server, monkeypatch):
    """The three ERPs; Bling's authorization sends the browser back to the live server."""
    monkeypatch.setattr(app.config["MH_SETTINGS"], "base_url", live_server)
    return {key: erp(key, products=count, orders=3, customers=3)
            for key, count in PRODUCTS.items()}


def card(page, label: str):
    return page.locator("article.erp-card").filter(
        has=page.get_by_role("heading", name=label, exact=True))


def _connect_with_keys(page, key: str, fields: dict) -> None:
    page.goto("/hub/integrations")
    card(page, LABELS[key]).get_by_role("link", name="Conectar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Conectar {LABELS[key]}")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_text("Manual", exact=True).click()
    page.screenshot(path=f"/tmp/hub-integrations-connect-{key}.png", full_page=True)
    page.get_by_role("button", name="Conectar", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(f"{LABELS[key]} conectado")


def _connect_bling(page) -> None:
    page.goto("/hub/integrations")
    card(page, "Bling ERP").get_by_role("link", name="Conectar").click()
    page.get_by_label("Client ID", exact=True).fill(CREDENTIALS["bling"]["client_id"])
    page.get_by_label("Client Secret", exact=True).fill(CREDENTIALS["bling"]["client_secret"])
    page.get_by_role("button", name="Conectar com o Bling ERP").click()
    expect(page).to_have_title(re.compile("Bling — Autorizar"))  # the sandbox's consent page
    page.get_by_role("button", name="Autorizar").click()
    page.wait_for_url("**/hub/integrations")
    expect(page.get_by_role("status").first).to_contain_text("Bling ERP conectado (conta")
    expect(card(page, "Bling ERP").locator(".badge").first).to_have_text("Conectado")


def _sync_and_read_the_log(app, page, key: str) -> None:
    page.goto("/hub/integrations")
    card(page, LABELS[key]).get_by_role("button", name="Sincronizar Agora").click()
    expect(page.get_by_role("status").first).to_contain_text("Sincronização na fila")
    latest = page.locator("table.runs tbody tr").first
    expect(latest).to_contain_text("Na fila")
    run_sync_jobs(app)  # the worker takes the job Sincronizar Agora queued
    expect(latest).to_contain_text("Concluída", timeout=20_000)  # the page reloads itself
    expect(latest.locator("[data-trigger]")).to_have_text("Manual")
    expect(latest.locator('[data-label="Falhas"]')).to_have_text("0")
    requests = int(latest.locator('[data-label="Requisições"]').inner_text())
    assert requests > 0
    latest.get_by_role("link", name=re.compile("^Detalhes da sincronização")).click()
    products = page.get_by_role("row", name=re.compile("^Produtos"))
    expect(products).to_be_visible()
    # the sandboxes share a seeded catalogue: a SKU another ERP brought is matched, not created
    created, updated, unchanged, failed = (int(n) for n in products.locator("td").all_inner_texts())
    assert created + updated + unchanged == PRODUCTS[key] and failed == 0
    expect(page.get_by_text("Nenhum item recusado.")).to_be_visible()


def test_each_erp_connects_and_syncs_from_the_hub(app, signed_in_page, sandboxes):
    page = signed_in_page
    page.get_by_role("link", name="Integrações", exact=True).click()
    for label in LABELS.values():
        expect(card(page, label)).to_contain_text("Desconectado")
    custom = card(page, "Integração Customizada")
    expect(custom).to_contain_text("Criar via API")
    expect(custom.get_by_role("link", name="Chaves de API")).to_have_attribute("href", "/hub/keys")

    _connect_with_keys(page, "omie", {"App Key": CREDENTIALS["omie"]["app_key"],
                                      "App Secret": CREDENTIALS["omie"]["app_secret"]})
    _connect_with_keys(page, "tiny", {"Token da API": CREDENTIALS["tiny"]["token"]})
    _connect_bling(page)
    for key in LABELS:
        _sync_and_read_the_log(app, page, key)
    page.screenshot(path=RUN_SCREENSHOT, full_page=True)
    page.get_by_label("Trilha").get_by_role("link", name="Tiny ERP").click()
    expect(page.get_by_role("heading", name="Log de sincronização")).to_be_visible()
    page.screenshot(path=LOG_SCREENSHOT, full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=PHONE_LOG_SCREENSHOT, full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/hub/integrations")
    for label in LABELS.values():
        expect(card(page, label)).to_contain_text("Última sync: agora mesmo")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert CREDENTIALS["omie"]["app_secret"] not in page.content()


def test_configure_test_and_disconnect_on_a_phone(app, signed_in_page, sandboxes):
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    _connect_with_keys(page, "omie", {"App Key": CREDENTIALS["omie"]["app_key"],
                                      "App Secret": CREDENTIALS["omie"]["app_secret"]})
    page.screenshot(path=PHONE_SCREENSHOT, full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows

    card(page, "Omie").get_by_role("link", name="Configurar").click()
    secret = page.get_by_label("App Secret", exact=True)
    expect(secret).to_have_attribute("type", "password")
    expect(secret).to_have_value("--------")  # the mask, never the secret
    page.get_by_role("button", name="Testar conexão").click()
    expect(page.get_by_role("status").first).to_contain_text("Conexão OK")
    page.get_by_label("App Secret", exact=True).fill("um-segredo-errado")
    page.get_by_role("button", name="Testar conexão").click()
    expect(page.get_by_role("status").first).to_contain_text("Credenciais inválidas")
    expect(secret).to_have_value("--------")  # what was typed is not shown; the stored one stays
    page.screenshot(path=CONFIG_SCREENSHOT, full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Desconectar").click()
    page.get_by_role("button", name="Sim, desconectar").click()
    expect(page.get_by_role("status").first).to_contain_text("Omie desconectado")
    expect(card(page, "Omie").locator(".badge").first).to_have_text("Desconectado")
