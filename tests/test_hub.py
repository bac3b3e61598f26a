"""The hub's shell through the Flask test client: sign-in, CSRF, API keys and OAuth clients."""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import select, update

from markethub.platform.db import utcnow, write_transaction
from markethub.platform.extensions import db
from markethub.platform.models import HubSession, HubUser
from markethub.platform.services import accounts
from markethub.platform.web.session_auth import safe_next

PASSWORD = "senha-muito-secreta"
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
API_KEY = re.compile(r"mh_live_[A-Za-z0-9_-]{20,}")
FORM_ID = re.compile(r'name="form_id"[^>]*?value="([^"]+)"')


@dataclass
class HubAccount:
    tenant_id: str
    tenant_name: str
    email: str


@pytest.fixture
def make_hub_user(app):
    def make(plan: str = "professional") -> HubAccount:
        with app.app_context():
            tenant = accounts.create_tenant(f"Loja Hub {time.time_ns()}", plan)
            email = f"ana-{uuid.uuid4().hex[:10]}@loja.example"
            accounts.create_hub_user(tenant.id, email, PASSWORD, "Ana Souza")
            return HubAccount(tenant.id, tenant.name, email)
    return make


@pytest.fixture
def hub_user(make_hub_user) -> HubAccount:
    return make_hub_user()


def csrf_of(response) -> str:
    match = CSRF_TOKEN.search(response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client, email, password=PASSWORD, next_url="", **kwargs):
    page = client.get("/hub/login" + (f"?next={quote(next_url)}" if next_url else ""), **kwargs)
    return client.post("/hub/login", data={"email": email, "password": password,
                                           "next": next_url, "csrf_token": csrf_of(page)},
                       **kwargs)


@pytest.fixture
def hub(client, hub_user):
    """A test client signed in as `hub_user`."""
    assert login(client, hub_user.email).status_code == 303
    return client


def create_credential(client, path: str, name: str, scopes: list[str]):
    form = client.get(path)
    return client.post(path, data={"name": name, "scopes": scopes, "csrf_token": csrf_of(form),
                                   "form_id": FORM_ID.search(form.get_data(as_text=True))[1]})


def revoke(client, path: str):
    confirm = client.get(path)
    assert confirm.status_code == 200
    return client.post(path, data={"csrf_token": csrf_of(confirm)})


@pytest.mark.parametrize("path", ["/hub/", "/hub/keys", "/hub/keys/new", "/hub/integrations",
                                  "/hub/recipes", "/hub/webhooks", "/hub/monitoring",
                                  "/hub/audit"])
def test_hub_pages_redirect_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/hub/login" and parse_qs(location.query) == {"next": [path]}


def test_bad_credentials_show_one_message_that_names_no_field(client, hub_user):
    wrong_password = login(client, hub_user.email, "senha-errada-123")
    unknown_email = login(client, "ninguem@loja.example", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert "E-mail ou senha incorretos." in response.get_data(as_text=True)
    assert client.get("/hub/").status_code == 302  # still signed out


def test_login_shows_the_tenant_and_logout_ends_the_session(client, hub_user):
    signed_in = login(client, hub_user.email.upper())  # e-mail is case-insensitive
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/hub/"
    dashboard = client.get("/hub/").get_data(as_text=True)
    assert hub_user.tenant_name in dashboard and "Ana Souza" in dashboard
    assert 'href="/docs"' in dashboard

    logout = client.post("/hub/logout", data={"csrf_token": csrf_of(client.get("/hub/"))})
    assert logout.status_code == 303
    assert client.get("/hub/").status_code == 302


def test_a_copied_session_cookie_stops_working_at_logout(app, client, hub_user):
    assert login(client, hub_user.email).status_code == 303
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/hub/").status_code == 200  # the cookie is all it takes, until...

    client.post("/hub/logout", data={"csrf_token": csrf_of(client.get("/hub/"))})

    assert copy.get("/hub/").status_code == 302  # ...the session it names has ended


def test_a_session_ends_by_itself_after_its_lifetime(app, client, hub_user):
    assert login(client, hub_user.email).status_code == 303
    with app.app_context():
        user_id = db.session.execute(select(HubUser.id).where(
            HubUser.email == hub_user.email)).scalar_one()
        hub_session = db.session.execute(select(HubSession).where(
            HubSession.user_id == user_id)).scalar_one()
        lifetime = hub_session.expires_at - hub_session.created_at
        with write_transaction() as session:
            session.execute(update(HubSession).where(HubSession.id == hub_session.id).values(
                expires_at=utcnow() - timedelta(seconds=1)))

    assert lifetime == timedelta(hours=app.config["MH_SETTINGS"].hub_session_hours)
    assert client.get("/hub/").status_code == 302


def test_forms_without_csrf_token_are_refused(app, hub, hub_user):
    response = hub.post("/hub/keys/new", data={"name": "Sem token", "scopes": ["products:read"]})
    assert response.status_code == 400
    assert "Formulário expirado" in response.get_data(as_text=True)
    assert "Sem token" not in hub.get("/hub/keys").get_data(as_text=True)
    assert hub.post("/hub/logout").status_code == 400
    assert hub.get("/hub/").status_code == 200  # the forged logout did nothing


def test_login_without_csrf_token_is_refused(client, hub_user):
    response = client.post("/hub/login", data={"email": hub_user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/hub/").status_code == 302


def test_created_api_key_is_shown_once_works_and_stops_when_revoked(hub, client):
    created = create_credential(hub, "/hub/keys/new", "Loja Shopify", ["products:read"])
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    page = created.get_data(as_text=True)
    assert "não será exibida novamente" in page
    raw_key = API_KEY.search(page).group(0)

    bearer = {"Authorization": f"Bearer {raw_key}"}
    assert client.get("/v1/products", headers=bearer).status_code == 200
    assert client.post("/v1/products", headers=bearer,  # read-only key
                       json={"sku": "X", "name": "X", "price": "1.00"}).status_code == 403

    listing = hub.get("/hub/keys").get_data(as_text=True)
    assert raw_key not in listing
    assert raw_key[:12] + "…" in listing and "Leitura: Produtos" in listing

    key_id = re.search(r'/hub/keys/(key_[a-z0-9]+)/revoke', listing).group(1)
    revoked = revoke(hub, f"/hub/keys/{key_id}/revoke")
    assert revoked.status_code == 303
    assert client.get("/v1/products", headers=bearer).status_code == 401
    assert "Revogada" in hub.get("/hub/keys").get_data(as_text=True)


def test_oauth_client_secret_is_shown_once_and_gets_tokens_until_revoked(hub, client):
    created = create_credential(hub, "/hub/clients/new", "ERP da matriz",
                                ["orders:read", "orders:write"])
    page = created.get_data(as_text=True)
    client_id = re.search(r'id="client-id"[^>]*>(cli_[a-z0-9]+)<', page).group(1)
    secret = re.search(r"mhcs_[A-Za-z0-9_-]{20,}", page).group(0)
    assert "grant_type=client_credentials" in page and "/v1/auth/token" in page

    token = client.post("/v1/auth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret))
    assert token.status_code == 200, token.json
    orders = client.get("/v1/orders",
                        headers={"Authorization": f"Bearer {token.json['access_token']}"})
    assert orders.status_code == 200
    assert secret not in hub.get("/hub/keys").get_data(as_text=True)

    assert revoke(hub, f"/hub/clients/{client_id}/revoke").status_code == 303
    again = client.post("/v1/auth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret))
    assert again.status_code == 401


def test_resubmitting_the_create_form_does_not_mint_a_second_key(hub):
    form = hub.get("/hub/keys/new")
    data = {"name": "Duplo clique", "scopes": ["products:read"], "csrf_token": csrf_of(form),
            "form_id": FORM_ID.search(form.get_data(as_text=True))[1]}
    assert API_KEY.search(hub.post("/hub/keys/new", data=data).get_data(as_text=True))
    again = hub.post("/hub/keys/new", data=data)  # e.g. a refresh of the result page
    assert again.status_code == 303 and again.headers["Location"] == "/hub/keys"
    assert hub.get("/hub/keys").get_data(as_text=True).count('class="name">Duplo clique<') == 1


def test_service_validation_errors_appear_next_to_fields_in_portuguese(hub):
    empty = create_credential(hub, "/hub/keys/new", "   ", [])
    assert empty.status_code == 422
    page = empty.get_data(as_text=True)
    assert re.search(r'id="name-errors">\s*<li>Dê um nome de 1 a 200 caracteres.</li>', page)
    assert re.search(r'id="scopes-errors">\s*<li>Escolha pelo menos uma permissão.</li>', page)

    unknown = create_credential(hub, "/hub/keys/new", "Chave", ["products:delete"])
    assert "Permissões desconhecidas: products:delete" in unknown.get_data(as_text=True)


def test_a_user_cannot_see_or_revoke_another_tenants_key(app, hub_user, make_hub_user):
    # Plain clients, not `with` blocks: a preserved request context would share `g` between them.
    mine, theirs = app.test_client(), app.test_client()
    other = make_hub_user()
    login(mine, hub_user.email)
    login(theirs, other.email)
    created = create_credential(theirs, "/hub/keys/new", "Chave do vizinho", ["products:read"])
    raw_key = API_KEY.search(created.get_data(as_text=True)).group(0)
    key_id = re.search(r"/hub/keys/(key_[a-z0-9]+)/revoke",
                       theirs.get("/hub/keys").get_data(as_text=True)).group(1)

    assert "Chave do vizinho" not in mine.get("/hub/keys").get_data(as_text=True)
    assert mine.get(f"/hub/keys/{key_id}/revoke").status_code == 404
    forged = mine.post(f"/hub/keys/{key_id}/revoke",
                       data={"csrf_token": csrf_of(mine.get("/hub/"))})
    assert forged.status_code == 404
    still_works = mine.get("/v1/products", headers={"Authorization": f"Bearer {raw_key}"})
    assert still_works.status_code == 200


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/hub/", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "/hub/../../evil", "/v1/products", "hub/keys", "/hub\r\nX: y",
])
def test_login_refuses_to_redirect_outside_the_hub(client, hub_user, target):
    response = login(client, hub_user.email, next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/hub/"
    assert safe_next(target) is None


def test_login_follows_a_next_inside_the_hub(client, hub_user):
    response = login(client, hub_user.email, next_url="/hub/keys?aba=oauth")
    assert response.headers["Location"] == "/hub/keys?aba=oauth"


def test_repeated_failed_logins_are_throttled_per_email(client, hub_user):
    own_address = {"environ_base": {"REMOTE_ADDR": f"203.0.113.{time.time_ns() % 250 + 1}"}}
    for _ in range(10):
        assert login(client, hub_user.email, "tentativa-errada", **own_address).status_code == 200
    throttled = login(client, hub_user.email, PASSWORD, **own_address)
    assert throttled.status_code == 429
    assert "Muitas tentativas" in throttled.get_data(as_text=True)


def test_dashboard_counts_the_tenants_records(hub, client):
    created = create_credential(hub, "/hub/keys/new", "Catálogo", ["products:write"])
    bearer = {"Authorization": f"Bearer {API_KEY.search(created.get_data(as_text=True))[0]}"}
    for sku in ("A-1", "A-2"):
        assert client.post("/v1/products", headers=bearer,
                           json={"sku": sku, "name": "Caneca", "price": "19.90"}).status_code == 201
    page = hub.get("/hub/").get_data(as_text=True)
    assert re.search(r'stat-value">2</span>\s*<span class="stat-label">Produtos<', page)
    assert re.search(r'stat-value">1</span>\s*<span class="stat-label">Chaves de API ativas<', page)
    assert re.search(r'stat-value">0</span>\s*<span class="stat-label">Pedidos<', page)


@pytest.mark.parametrize("path", ["/hub/recipes", "/hub/monitoring"])
def test_pages_not_built_yet_say_so_inside_the_layout(hub, path):
    page = hub.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Em construção" in text and 'aria-current="page"' in text


def test_audit_lists_who_created_and_revoked_a_key(hub, hub_user):
    created = create_credential(hub, "/hub/keys/new", "Chave auditada", ["events:read"])
    assert created.status_code == 200
    key_id = re.search(r'/hub/keys/(key_[a-z0-9]+)/revoke',
                       hub.get("/hub/keys").get_data(as_text=True)).group(1)
    revoke(hub, f"/hub/keys/{key_id}/revoke")
    page = hub.get("/hub/audit").get_data(as_text=True)
    assert "Chave de API criada" in page and "Chave de API revogada" in page
    assert re.search(rf"Ana Souza<span class=\"actor-detail\">{re.escape(hub_user.email)}<", page)
    assert "Chave auditada" in page


def test_hub_pages_send_a_strict_content_security_policy(hub):
    headers = hub.get("/hub/keys").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
