"""Helpers for the API suite: OAuth clients, extra keys and ready-made rows, all made through the
real services or the real API (no fixtures that write rows by hand)."""
from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from markethub.platform.auth.scopes import ALL_SCOPES
from markethub.platform.services import credentials

from api_helpers import CUSTOMER, PRODUCT, call_as


@dataclass
class OAuthClientCredentials:
    client_id: str
    secret: str
    tenant_id: str

    def basic(self, secret: str | None = None) -> dict:
        raw = f"{self.client_id}:{secret or self.secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


@pytest.fixture
def make_oauth_client(app):
    def make(account, scopes=ALL_SCOPES) -> OAuthClientCredentials:
        with app.app_context():
            row, secret = credentials.create_oauth_client(
                account.principal(), "integração de teste", list(scopes))
            return OAuthClientCredentials(row.id, secret, account.tenant_id)
    return make


@pytest.fixture
def make_api_key(app):
    """Another API key for an existing account: returns request headers."""
    def make(account, scopes=ALL_SCOPES) -> dict:
        with app.app_context():
            _, raw = credentials.create_api_key(account.principal(), "outra chave", list(scopes))
        return {"Authorization": f"Bearer {raw}"}
    return make


@pytest.fixture
def other_api(client, other_account):
    """Calls the API as `other_account`, the tenant that must never see `account`'s rows."""
    return call_as(client, other_account.headers)


@pytest.fixture
def make_product(api):
    counter = iter(range(1, 10_000))

    def make(**fields) -> dict:
        body = {**PRODUCT, "sku": f"SKU-{next(counter)}", **fields}
        response = api.post("/v1/products", json=body)
        assert response.status_code == 201, response.json
        return response.json
    return make


@pytest.fixture
def make_customer(api):
    def make(**fields) -> dict:
        response = api.post("/v1/customers", json={**CUSTOMER, "document": None, **fields})
        assert response.status_code == 201, response.json
        return response.json
    return make


@pytest.fixture
def make_order(api, make_product, make_customer):
    def make(**fields) -> dict:
        if "customer_id" not in fields:
            fields["customer_id"] = make_customer()["id"]
        if "items" not in fields:
            fields["items"] = [{"product_id": make_product()["id"], "quantity": 1}]
        response = api.post("/v1/orders", json=fields)
        assert response.status_code == 201, response.json
        return response.json
    return make
