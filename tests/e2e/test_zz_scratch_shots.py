import pytest
from hub_webhook_support import deliver, receiver, webhook_targets  # noqa
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("webhook_targets")]

def test_shots(app, signed_in_page, receiver):
    page = signed_in_page
    for i, path in enumerate(["/a", "/b"]):
        page.goto("/hub/webhooks/new")
        page.get_by_label("URL do endpoint").fill(receiver.url(path))
        page.get_by_label("Descrição").fill(["Pedidos → ERP da matriz", ""][i])
        page.get_by_label("Todos os eventos", exact=True).check()
        page.get_by_role("button", name="Criar webhook").click()
        page.screenshot(path="/tmp/shot-secret.png", full_page=True)
        page.get_by_role("link", name="Já copiei, ver o webhook").click()
        if i == 1:
            receiver.default_status = 410
        page.get_by_role("button", name="Enviar teste").click()
        deliver(app)
    page.goto("/hub/webhooks")
    page.screenshot(path="/tmp/shot-list.png", full_page=True)
    page.goto("/hub/webhooks/new")
    page.get_by_role("button", name="Criar webhook").click()
    page.screenshot(path="/tmp/shot-form.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/hub/webhooks")
    page.screenshot(path="/tmp/shot-list-phone.png", full_page=True)
    page.goto("/hub/webhooks/new")
    page.get_by_label("URL do endpoint").fill("http://10.0.0.1/x")
    page.get_by_label("todos os eventos de Pedidos").check()
    page.get_by_role("button", name="Criar webhook").click()
    page.screenshot(path="/tmp/shot-form-phone.png", full_page=True)
