"""Another tenant's ids are 404 everywhere, and its rows never show up in lists."""
from __future__ import annotations

import pytest

from api_helpers import error_code


@pytest.fixture
def a_rows(make_product, make_customer, make_order):
    """Rows owned by `account` (tenant A)."""
    product = make_product(sku="A-ONLY")
    customer = make_customer(document="529.982.247-25", email="a@example.com")
    order = make_order(customer_id=customer["id"],
                       items=[{"product_id": product["id"], "quantity": 1}],
                       external_number="A-100")
    return {"product": product, "customer": customer, "order": order}


REQUESTS = [
    ("GET", "/v1/products/{product}", None, "product_not_found"),
    ("PUT", "/v1/products/{product}", {"name": "hijacked"}, "product_not_found"),
    ("DELETE", "/v1/products/{product}", None, "product_not_found"),
    ("GET", "/v1/orders/{order}", None, "order_not_found"),
    ("PUT", "/v1/orders/{order}", {"status": "cancelled"}, "order_not_found"),
    ("GET", "/v1/customers/{customer}", None, "customer_not_found"),
    ("PUT", "/v1/customers/{customer}", {"name": "hijacked"}, "customer_not_found"),
    ("PUT", "/v1/inventory/{product}", {"quantity": 0}, "product_not_found"),
]


@pytest.mark.parametrize("method,template,body,code", REQUESTS,
                         ids=[f"{m} {t}" for m, t, _, _ in REQUESTS])
def test_other_tenants_id_is_404(a_rows, api, other_api, method, template, body, code):
    path = template.format(**{name: row["id"] for name, row in a_rows.items()})
    before = api.get(path.replace("/inventory/", "/products/")).json

    response = other_api.open(path, method=method, json=body)

    assert response.status_code == 404
    assert error_code(response) == code
    assert api.get(path.replace("/inventory/", "/products/")).json == before  # untouched


def test_inventory_put_by_other_tenant_leaves_stock(a_rows, api, other_api):
    product_id = a_rows["product"]["id"]
    api.put(f"/v1/inventory/{product_id}", json={"quantity": 7})

    other_api.put(f"/v1/inventory/{product_id}", json={"adjustment": -7})

    assert api.get(f"/v1/products/{product_id}").json["inventory"]["quantity"] == 7


@pytest.mark.parametrize("path", [
    "/v1/products", "/v1/orders", "/v1/customers", "/v1/inventory",
    "/v1/products?sku=A-ONLY", "/v1/products?q=A-ONLY", "/v1/inventory?sku=A-ONLY",
    "/v1/customers?document=52998224725", "/v1/customers?email=a@example.com",
    "/v1/orders?channel=direct&external_number=A-100",
])
def test_lists_never_show_other_tenants_rows(a_rows, api, other_api, path):
    assert api.get(path).json["data"], "tenant A should see its own row"

    listed = other_api.get(path)

    assert listed.status_code == 200
    assert listed.json["data"] == []


def test_order_list_filtered_by_other_tenants_customer_is_empty(a_rows, other_api):
    listed = other_api.get(f"/v1/orders?customer_id={a_rows['customer']['id']}")

    assert listed.json["data"] == []


def test_order_cannot_use_another_tenants_customer(a_rows, other_api):
    own_product = other_api.post("/v1/products", json={"sku": "B-1", "name": "B",
                                                        "price": "1.00"}).json
    response = other_api.post("/v1/orders", json={
        "customer_id": a_rows["customer"]["id"],
        "items": [{"product_id": own_product["id"], "quantity": 1}]})

    assert response.status_code == 422
    assert error_code(response) == "invalid_reference"
    assert "customer_id" in response.json["error"]["fields"]


def test_order_cannot_use_another_tenants_product(a_rows, other_api):
    own_customer = other_api.post("/v1/customers", json={"name": "Cliente B"}).json
    response = other_api.post("/v1/orders", json={
        "customer_id": own_customer["id"],
        "items": [{"product_id": a_rows["product"]["id"], "quantity": 1}]})

    assert response.status_code == 422
    assert error_code(response) == "invalid_reference"
    assert list(response.json["error"]["fields"]) == ["items[0].product_id"]
