"""The hub in real Chromium: sign in, create an API key, read its secret, use it, revoke it."""
from __future__ import annotations

import httpx
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under MARKETHUB_REQUIRE_BROWSER=1
    expect = None

SCREENSHOT = "/tmp/hub-keys.png"
pytestmark = pytest.mark.browser


def _create_key(page, name: str) -> str:
    page.goto("/hub/keys")
    page.get_by_role("link", name="Nova chave de API").click()
    page.get_by_label("Nome", exact=True).fill(name)
    page.get_by_role("button", name="Só leitura").click()  # the select helper (JS)
    page.get_by_label("escrita de Produtos").check()
    page.get_by_role("button", name="Criar chave").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_text("não será exibida novamente")).to_be_visible()
    return page.locator("#secret").inner_text().strip()


def test_a_key_created_in_the_hub_works_against_the_api(signed_in_page, hub_login, live_server):
    page = signed_in_page
    expect(page.locator(".account-tenant")).to_have_text(hub_login.tenant_name)
    secret = _create_key(page, "Integração do navegador")
    assert secret.startswith("mh_live_")

    page.locator('[data-copy="secret"]').click()
    expect(page.locator('[data-copy="secret"]')).to_have_text("Copiado!")
    assert page.evaluate("navigator.clipboard.readText()") == secret

    bearer = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=live_server, headers=bearer, timeout=10) as api:
        assert api.get("/v1/products").status_code == 200
        created = api.post("/v1/products", json={"sku": "NAV-1", "name": "Caneca",
                                                 "price": "19.90"})
        assert created.status_code == 201, created.text
        no_scope = api.post("/v1/customers", json={"name": "Cliente"})
        assert no_scope.status_code == 403  # customers:write was not chosen

    page.get_by_role("link", name="Já copiei, voltar às chaves").click()
    row = page.get_by_role("row", name="Integração do navegador")
    expect(row).to_contain_text(secret[:12] + "…")
    expect(row).to_contain_text("Leitura: todos os recursos")
    expect(row).to_contain_text("Escrita: Produtos")
    assert secret not in page.content()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_revoking_a_key_in_the_hub_locks_it_out(signed_in_page, live_server):
    page = signed_in_page
    secret = _create_key(page, "Chave temporária")
    page.goto("/hub/keys")
    page.get_by_role("row", name="Chave temporária").get_by_role("link", name="Revogar").click()
    page.get_by_role("button", name="Sim, revogar").click()
    expect(page.get_by_role("status")).to_contain_text("foi revogada")
    expect(page.get_by_role("row", name="Chave temporária")).to_contain_text("Revogada")

    response = httpx.get(f"{live_server}/v1/products", timeout=10,
                         headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_login_page_refuses_wrong_password(browser_page, hub_login):
    browser_page.goto("/hub/keys")
    browser_page.get_by_label("E-mail").fill(hub_login.email)
    browser_page.get_by_label("Senha").fill("senha-errada-000")
    browser_page.get_by_role("button", name="Entrar").click()
    expect(browser_page.get_by_role("alert")).to_have_text("E-mail ou senha incorretos.")
