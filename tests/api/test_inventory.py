"""/v1/inventory: never negative, no lost writes under concurrency, low-stock threshold, filters."""
from __future__ import annotations

import threading

import pytest

from api_helpers import error_code


@pytest.fixture
def product(make_product):
    return make_product(sku="ESTOQUE-1")


def _put(api, product, **body):
    return api.put(f"/v1/inventory/{product['id']}", json=body)


def test_set_quantity_and_read_it_back(api, product):
    response = _put(api, product, quantity=12)

    assert response.status_code == 200
    assert (response.json["product_id"], response.json["sku"], response.json["quantity"]) == (
        product["id"], "ESTOQUE-1", 12)
    assert api.get(f"/v1/products/{product['id']}").json["inventory"]["quantity"] == 12


def test_adjustments_add_and_subtract(api, product):
    _put(api, product, quantity=10)

    assert _put(api, product, adjustment=5).json["quantity"] == 15
    assert _put(api, product, adjustment=-15).json["quantity"] == 0


@pytest.mark.parametrize("quantity", [-1, -1000])
def test_negative_quantity_is_422(api, product, quantity):
    response = _put(api, product, quantity=quantity)

    assert response.status_code == 422
    assert "quantity" in response.json["error"]["fields"]


def test_adjustment_below_zero_is_409_and_changes_nothing(api, product):
    _put(api, product, quantity=3)

    response = _put(api, product, adjustment=-4)

    assert response.status_code == 409
    assert error_code(response) == "insufficient_stock"
    assert "3 in stock" in response.json["error"]["message"]
    assert api.get(f"/v1/products/{product['id']}").json["inventory"]["quantity"] == 3


@pytest.mark.parametrize("body,field", [
    ({}, "quantity"), ({"quantity": 1, "adjustment": 1}, "adjustment"),
    ({"quantity": 1.5}, "quantity"), ({"quantity": "5"}, "quantity"),
    ({"adjustment": True}, "adjustment"), ({"low_stock_threshold": -1}, "low_stock_threshold"),
    ({"quantity": 10**30}, "quantity"), ({"stock": 1}, "stock"),
])
def test_bad_updates_are_422(api, product, body, field):
    response = _put(api, product, **body)

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_concurrent_adjustments_never_lose_a_write(app, account, product):
    threads, per_thread = 4, 25
    statuses: list[int] = []
    lock = threading.Lock()

    def worker():
        with app.test_client() as client:  # each thread: its own client and app contexts
            for _ in range(per_thread):
                response = client.put(f"/v1/inventory/{product['id']}",
                                      json={"adjustment": 1}, headers=account.headers)
                with lock:
                    statuses.append(response.status_code)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert statuses == [200] * threads * per_thread
    with app.test_client() as client:
        final = client.get(f"/v1/products/{product['id']}", headers=account.headers)
    assert final.json["inventory"]["quantity"] == threads * per_thread


def test_low_stock_threshold(api, product):
    _put(api, product, quantity=10, low_stock_threshold=3)
    assert api.get("/v1/inventory?low_stock=true").json["data"] == []

    response = _put(api, product, adjustment=-7)

    assert response.json["low_stock"] is True
    assert response.json["low_stock_threshold"] == 3
    assert [i["product_id"] for i in api.get("/v1/inventory?low_stock=true").json["data"]] == [
        product["id"]]


def test_inventory_filters(api, make_product):
    plenty = make_product(sku="MUITO")
    scarce = make_product(sku="POUCO")
    api.put(f"/v1/inventory/{plenty['id']}", json={"quantity": 50, "low_stock_threshold": 5})
    api.put(f"/v1/inventory/{scarce['id']}", json={"quantity": 1, "low_stock_threshold": 5})

    def ids(query):
        response = api.get(f"/v1/inventory?{query}")
        assert response.status_code == 200, response.json
        return [row["product_id"] for row in response.json["data"]]

    assert ids("sku=POUCO") == [scarce["id"]]
    assert ids("low_stock=false") == [plenty["id"]]
    assert ids("low_stock=true") == [scarce["id"]]
    assert ids("") == [scarce["id"], plenty["id"]]  # newest product first


def test_stock_cannot_grow_past_the_maximum(api, product):
    assert _put(api, product, quantity=1_000_000_000).status_code == 200

    response = _put(api, product, adjustment=1_000_000_000)

    assert response.status_code == 409
    assert error_code(response) == "stock_limit_exceeded"
    assert api.get(f"/v1/products/{product['id']}").json["inventory"]["quantity"] == 1_000_000_000
