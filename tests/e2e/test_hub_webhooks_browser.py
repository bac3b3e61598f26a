"""The Webhooks page in real Chromium: create an endpoint pointing at a local receiver, read its
secret once, send a test event, let the delivery loop send it, see it in the log, retry it."""
from __future__ import annotations

import pytest
from standardwebhooks import Webhook

import hub_webhook_support as support
from hub_webhook_support import deliver

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under MARKETHUB_REQUIRE_BROWSER=1
    expect = None

receiver, webhook_targets = support.receiver, support.webhook_targets  # fixtures, shared
SCREENSHOT = "/tmp/hub-webhooks.png"
PHONE_SCREENSHOT = "/tmp/hub-webhooks-phone.png"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("webhook_targets")]


def _create_endpoint(page, url: str) -> str:
    page.goto("/hub/webhooks")
    page.get_by_role("link", name="Novo webhook").click()
    page.get_by_label("URL do endpoint").fill(url)
    page.get_by_label("Descrição").fill("ERP do navegador")
    page.get_by_label("todos os eventos de Pedidos").check()
    covered = page.get_by_role("checkbox", name="order.shipped")
    expect(covered).to_be_checked()  # the wildcard covers its events (hub.js)
    expect(covered).to_be_disabled()
    page.get_by_role("checkbox", name="product.created").check()
    page.get_by_role("button", name="Criar webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook criado")
    expect(page.get_by_text("não será exibido novamente")).to_be_visible()
    return page.locator("#secret").inner_text().strip()


def test_a_webhook_made_in_the_hub_delivers_signed_events(app, signed_in_page, receiver):
    page = signed_in_page
    secret = _create_endpoint(page, receiver.url("/navegador"))
    assert secret.startswith("whsec_")
    page.locator('[data-copy="secret"]').click()
    expect(page.locator('[data-copy="secret"]')).to_have_text("Copiado!")
    assert page.evaluate("navigator.clipboard.readText()") == secret

    page.get_by_role("link", name="Já copiei, ver o webhook").click()
    expect(page.locator(".chips").first).to_contain_text("Pedidos: todos")
    page.get_by_label("Tipo de evento").select_option("order.shipped")
    page.get_by_role("button", name="Enviar teste").click()
    expect(page.get_by_role("status").first).to_contain_text("Evento de teste order.shipped")

    deliver(app)
    [request] = receiver.requests
    assert Webhook(secret).verify(request.body, request.headers)["event"] == "order.shipped"
    page.get_by_role("button", name="Atualizar").click()
    delivery = page.locator(".delivery").first
    expect(delivery).to_contain_text("Entregue")
    expect(delivery).to_contain_text("1 tentativa · HTTP 200")
    delivery.get_by_text("Ver 1 tentativa").click()
    delivery.get_by_text("Requisição enviada").click()
    expect(delivery.locator("pre").first).to_contain_text("webhook-signature: v1,")

    delivery.get_by_role("button", name="Reenviar").click()
    expect(page.get_by_role("status").first).to_contain_text("na fila de novo")
    deliver(app)
    first, second = receiver.requests
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"]
    page.reload()
    expect(page.locator(".delivery").first).to_contain_text("2 tentativas · HTTP 200")
    latest = page.locator(".delivery").first
    latest.get_by_text("Ver 2 tentativas").click()
    latest.get_by_text("Requisição enviada").first.click()
    latest.get_by_text("Resposta").first.click()
    expect(latest.locator(".attempt").first.locator("pre").last).to_have_text("ok")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.goto("/hub/webhooks")
    row = page.get_by_role("row", name="ERP do navegador")
    expect(row).to_contain_text("100 %")
    expect(row).to_contain_text("Sucesso")
    assert secret not in page.content()


def test_a_webhook_disabled_by_the_system_is_explained_on_a_phone(
        app, signed_in_page, receiver):
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    _create_endpoint(page, receiver.url("/sumiu"))
    page.get_by_role("link", name="Já copiei, ver o webhook").click()
    receiver.default_status = 410
    page.get_by_role("button", name="Enviar teste").click()
    deliver(app)

    page.goto("/hub/webhooks")
    expect(page.get_by_role("alert")).to_contain_text("Seu servidor respondeu 410 Gone")
    page.get_by_role("link", name="Ver as entregas e reativar").click()
    expect(page.get_by_role("alert")).to_contain_text("Desativamos este webhook.")
    page.screenshot(path=PHONE_SCREENSHOT, full_page=True)
    page.get_by_role("button", name="Reativar").click()
    expect(page.get_by_role("status").first).to_contain_text("Webhook reativado")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
