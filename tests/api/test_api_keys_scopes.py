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


def _send(client, method, path, headers):
    body = {"json": {}} if method in ("POST", "PUT") else {}
    return client.open(path.format(id="x_missing"), method=method, headers=headers, **body)


def test_the_table_covers_every_resource_route(app):
    """A new endpoint must be added to ROUTES, so its scope check gets tested."""
    served = {(method, re.sub(r"<[^>]+>", "{id}", rule.rule))
              for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/v1/") and not rule.rule.startswith("/v1/auth/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == {(method, path) for method, path, _ in ROUTES}


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
