"""API keys (hashed, revocable) and the scope every endpoint checks."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from markethub.platform.auth import secrets
from markethub.platform.auth.scopes import ALL_SCOPES
from markethub.platform.extensions import db
from markethub.platform.models import ApiKey
from markethub.platform.services import credentials

from api_helpers import call_as, error_code

# Every resource route, with the one scope it needs.
ROUTES = [
    ("GET", "/v1/products", "products:read"),
    ("POST", "/v1/products", "products:write"),
    ("GET", "/v1/products/{id}", "products:read"),
    ("PUT", "/v1/products/{id}", "products:write"),
    ("DELETE", "/v1/products/{id}", "products:write"),
    ("GET", "/v1/orders", "orders:read"),
    ("POST", "/v1/orders", "orders:write"),
    ("GET", "/v1/orders/{id}", "orders:read"),
    ("PUT", "/v1/orders/{id}", "orders:write"),
    ("GET", "/v1/inventory", "inventory:read"),
    ("PUT", "/v1/inventory/{id}", "inventory:write"),
    ("GET", "/v1/customers", "customers:read"),
    ("POST", "/v1/customers", "customers:write"),
    ("GET", "/v1/customers/{id}", "customers:read"),
    ("PUT", "/v1/customers/{id}", "customers:write"),
]
ROUTE_IDS = [f"{method} {path}" for method, path, _ in ROUTES]
ROUTE_SCOPES = {(method, path): scope for method, path, scope in ROUTES}


def _send(client, method, path, headers):
    body = {"json": {}} if method in ("POST", "PUT") else {}
    return client.open(path.format(id="x_missing"), method=method, headers=headers, **body)


def _served_routes(app) -> list[tuple[str, str, str | None]]:
    """Every /v1 endpoint outside /v1/auth, with the scope its view declares (None: none)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/v1/") or rule.rule.startswith("/v1/auth/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            routes.append((method, re.sub(r"<[^>]+>", "{id}", rule.rule),
                           getattr(handler, "required_scope", None)))
    return routes


def test_the_table_names_the_right_scope_for_every_resource_route(app):
    served = {(method, path): scope for method, path, scope in _served_routes(app)}

    assert {route: served.get(route) for route in ROUTE_SCOPES} == ROUTE_SCOPES


def test_every_api_endpoint_declares_and_enforces_a_scope(app, client, make_account):
    """Catches endpoints added later (webhooks, events…) that forget their scope check."""
    routes = _served_routes(app)
    assert [(m, p) for m, p, scope in routes if scope is None] == []
    lacking = {scope: make_account(scopes=[s for s in ALL_SCOPES if s != scope]).headers
               for scope in {scope for _, _, scope in routes}}
    for method, path, scope in routes:
        response = _send(client, method, path, lacking[scope])
        assert (method, path, response.status_code) == (method, path, 403)
        assert _send(client, method, path, {}).status_code == 401, (method, path)


@pytest.mark.parametrize("method,path,scope", ROUTES, ids=ROUTE_IDS)
def test_missing_scope_is_403_insufficient_scope(client, make_account, method, path, scope):
    account = make_account(scopes=[s for s in ALL_SCOPES if s != scope])

    response = _send(client, method, path, account.headers)

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
    assert f"'{scope}'" in response.json["error"]["message"]
    assert f'scope="{scope}"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("method,path,scope", ROUTES, ids=ROUTE_IDS)
def test_the_one_scope_is_enough(client, make_account, method, path, scope):
    account = make_account(scopes=[scope])

    response = _send(client, method, path, account.headers)

    assert response.status_code not in (401, 403), response.json


@pytest.mark.parametrize("method,path,scope", ROUTES, ids=ROUTE_IDS)
def test_no_credentials_is_401_with_www_authenticate(client, method, path, scope):
    response = _send(client, method, path, {})

    assert response.status_code == 401
    assert error_code(response) == "authentication_required"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [
    "Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "mh_live_abc", "Token mh_live_abc"])
def test_malformed_authorization_is_401(client, header):
    response = client.get("/v1/products", headers={"Authorization": header})

    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_unknown_api_key_is_401(client):
    response = client.get("/v1/products", headers={"Authorization": "Bearer mh_live_nope"})

    assert response.status_code == 401
    assert error_code(response) == "invalid_api_key"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_revoked_api_key_is_401(client, app, account):
    assert client.get("/v1/products", headers=account.headers).status_code == 200
    with app.app_context():
        key_id = credentials.list_api_keys(account.tenant_id)[0].id
        credentials.revoke_api_key(account.principal(), key_id)

    response = client.get("/v1/products", headers=account.headers)

    assert response.status_code == 401
    assert error_code(response) == "invalid_api_key"


def test_revoking_one_key_leaves_the_others_working(client, app, account, make_api_key):
    second = make_api_key(account)
    with app.app_context():
        first_id = min(k.id for k in credentials.list_api_keys(account.tenant_id))
        credentials.revoke_api_key(account.principal(), first_id)

    assert client.get("/v1/products", headers=account.headers).status_code == 401
    assert client.get("/v1/products", headers=second).status_code == 200


def test_api_keys_are_stored_hashed(app, account):
    raw = account.api_key
    with app.app_context():
        row = db.session.execute(select(ApiKey).where(
            ApiKey.tenant_id == account.tenant_id)).scalar_one()
        stored = [str(getattr(row, column.key)) for column in ApiKey.__table__.columns]

    assert row.key_hash == secrets.digest(raw)
    assert not any(raw in value for value in stored)
    assert raw.startswith(row.prefix)  # only a short prefix, to tell keys apart in the hub
    assert len(row.prefix) <= 12


def test_read_scope_does_not_imply_write(client, make_account):
    reader = call_as(client, make_account(scopes=["products:read"]).headers)

    assert reader.get("/v1/products").status_code == 200
    refused = reader.post("/v1/products", json={"sku": "A", "name": "A", "price": "1"})
    assert refused.status_code == 403


def test_a_new_key_used_by_concurrent_requests_never_fails(app, make_account):
    """The first use of a key records last_used_at; concurrent first uses must not collide."""
    statuses: list[int] = []

    def worker(headers):
        with app.test_client() as client:
            for _ in range(5):
                statuses.append(client.get("/v1/products", headers=headers).status_code)

    for _ in range(3):  # a few fresh keys: the race does not show on every try
        headers = make_account(scopes=["products:read"]).headers
        pool = [threading.Thread(target=worker, args=(headers,)) for _ in range(8)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()

    assert statuses == [200] * 120
