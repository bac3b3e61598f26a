"""/v1/orders: exact totals, the status state machine, duplicates and list filters."""
from __future__ import annotations

import pytest

from api_helpers import error_code


@pytest.fixture
def catalogue(make_product, make_customer):
    return {"customer": make_customer(),
            "camiseta": make_product(sku="CAM", name="Camiseta", price="99.90"),
            "caneca": make_product(sku="CAN", name="Caneca", price="0.10")}


def _order(api, catalogue, items, **fields):
    lines = [{"product_id": catalogue[name]["id"], **line} for name, line in items]
    return api.post("/v1/orders", json={"customer_id": catalogue["customer"]["id"],
                                        "items": lines, **fields})


def test_totals_are_exact(api, catalogue):
    response = _order(api, catalogue, [("camiseta", {"quantity": 2})],
                      shipping_total="15.00", discount_total="5.00")

    assert response.status_code == 201, response.json
    order = response.json
    assert order["items"][0]["total"] == "199.80"
    assert (order["items_total"], order["shipping_total"], order["discount_total"],
            order["total"]) == ("199.80", "15.00", "5.00", "209.80")
    assert order["currency"] == "BRL" and order["status"] == "pending"


def test_many_small_amounts_add_up_exactly(api, catalogue):
    """0.10 × 3 is 0.30 and ten lines of it 3.00, where float would drift."""
    response = _order(api, catalogue, [("caneca", {"quantity": 3})] * 10)

    assert response.json["items_total"] == "3.00"
    assert response.json["total"] == "3.00"


def test_unit_price_defaults_to_the_product_price(api, catalogue):
    response = _order(api, catalogue, [("camiseta", {"quantity": 1}),
                                       ("caneca", {"quantity": 4, "unit_price": "0.25"})])

    lines = response.json["items"]
    assert [(line["sku"], line["unit_price"], line["total"]) for line in lines] == [
        ("CAM", "99.90", "99.90"), ("CAN", "0.25", "1.00")]
    assert response.json["items_total"] == "100.90"


def test_order_keeps_its_copy_after_the_product_changes(api, catalogue):
    order = _order(api, catalogue, [("camiseta", {"quantity": 1})]).json
    api.put(f"/v1/products/{catalogue['camiseta']['id']}", json={"price": "10.00",
                                                                 "name": "Renomeada"})

    line = api.get(f"/v1/orders/{order['id']}").json["items"][0]

    assert (line["name"], line["unit_price"]) == ("Camiseta", "99.90")


def test_discount_larger_than_the_order_is_422(api, catalogue):
    response = _order(api, catalogue, [("caneca", {"quantity": 1})], discount_total="1.00")

    assert response.status_code == 422
    assert "discount_total" in response.json["error"]["fields"]
    assert api.get("/v1/orders").json["data"] == []


@pytest.mark.parametrize("items,field", [
    ([], "items"),
    ([{"quantity": 1}], "items[0].product_id"),
    ([{"product_id": "prod_missing", "quantity": 1}], "items[0].product_id"),
    ([{"product_id": "{camiseta}", "quantity": 0}], "items[0].quantity"),
    ([{"product_id": "{camiseta}", "quantity": 1.5}], "items[0].quantity"),
    ([{"product_id": "{camiseta}", "quantity": 1, "unit_price": "-1"}], "items[0].unit_price"),
])
def test_bad_items_are_422_naming_the_line(api, catalogue, items, field):
    items = [{k: (v.format(camiseta=catalogue["camiseta"]["id"]) if isinstance(v, str) else v)
              for k, v in line.items()} for line in items]

    response = api.post("/v1/orders", json={"customer_id": catalogue["customer"]["id"],
                                            "items": items})

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_unknown_customer_is_422(api, catalogue):
    response = api.post("/v1/orders", json={
        "customer_id": "cus_missing",
        "items": [{"product_id": catalogue["camiseta"]["id"], "quantity": 1}]})

    assert response.status_code == 422
    assert error_code(response) == "invalid_reference"
    assert "customer_id" in response.json["error"]["fields"]


def test_deleted_product_cannot_be_ordered(api, catalogue):
    api.delete(f"/v1/products/{catalogue['camiseta']['id']}")

    response = _order(api, catalogue, [("camiseta", {"quantity": 1})])

    assert response.status_code == 422
    assert "items[0].product_id" in response.json["error"]["fields"]


def _move(api, order_id, status):
    return api.put(f"/v1/orders/{order_id}", json={"status": status})


def test_happy_path_through_every_status(api, make_order):
    order = make_order()

    for status in ("paid", "invoiced", "shipped", "delivered"):
        response = _move(api, order["id"], status)
        assert response.status_code == 200, response.json
        assert response.json["status"] == status

    history = api.get(f"/v1/orders/{order['id']}").json["status_history"]
    assert [step["status"] for step in history] == [
        "pending", "paid", "invoiced", "shipped", "delivered"]


@pytest.mark.parametrize("path", [[], ["paid"], ["paid", "invoiced"]])
def test_cancel_is_allowed_before_shipping(api, make_order, path):
    order = make_order()
    for status in path:
        _move(api, order["id"], status)

    response = _move(api, order["id"], "cancelled")

    assert response.status_code == 200
    assert response.json["status"] == "cancelled"


@pytest.mark.parametrize("path,target", [
    ([], "shipped"), ([], "delivered"), ([], "invoiced"),
    (["paid"], "pending"), (["paid", "invoiced", "shipped"], "cancelled"),
    (["paid", "invoiced", "shipped"], "paid"),
    (["paid", "invoiced", "shipped", "delivered"], "cancelled"),
    (["cancelled"], "paid"), (["cancelled"], "pending"),
])
def test_invalid_transitions_are_409_with_a_clear_message(api, make_order, path, target):
    order = make_order()
    for status in path:
        assert _move(api, order["id"], status).status_code == 200
    current = path[-1] if path else "pending"

    response = _move(api, order["id"], target)

    assert response.status_code == 409
    assert error_code(response) == "invalid_status_transition"
    message = response.json["error"]["message"]
    assert f"'{current}'" in message and f"'{target}'" in message
    assert api.get(f"/v1/orders/{order['id']}").json["status"] == current


def test_unknown_status_is_422(api, make_order):
    response = _move(api, make_order()["id"], "lost")

    assert response.status_code == 422
    assert "status" in response.json["error"]["fields"]


def test_tracking_code_and_notes_update(api, make_order):
    order = make_order()

    response = api.put(f"/v1/orders/{order['id']}", json={"tracking_code": "BR123456789BR",
                                                          "notes": "Entregar à tarde"})

    assert (response.json["tracking_code"], response.json["notes"]) == (
        "BR123456789BR", "Entregar à tarde")


def test_duplicate_channel_and_external_number_is_409(api, make_order, catalogue):
    make_order(channel="mercado_livre", external_number="2000009876543210")

    duplicate = _order(api, catalogue, [("camiseta", {"quantity": 1})],
                       channel="mercado_livre", external_number="2000009876543210")
    other_channel = _order(api, catalogue, [("camiseta", {"quantity": 1})],
                           channel="shopee", external_number="2000009876543210")

    assert duplicate.status_code == 409
    assert error_code(duplicate) == "duplicate_order"
    assert "external_number" in duplicate.json["error"]["fields"]
    assert other_channel.status_code == 201


def test_orders_without_external_number_never_collide(api, make_order):
    make_order(channel="loja")
    make_order(channel="loja")

    assert len(api.get("/v1/orders?channel=loja").json["data"]) == 2


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [row["id"] for row in response.json["data"]]


def test_filter_by_status_and_customer(api, make_order, make_customer):
    maria, joao = make_customer(name="Maria"), make_customer(name="João")
    first = make_order(customer_id=maria["id"])
    second = make_order(customer_id=joao["id"])
    _move(api, second["id"], "paid")

    assert _ids(api.get("/v1/orders?status=paid")) == [second["id"]]
    assert _ids(api.get("/v1/orders?status=pending")) == [first["id"]]
    assert _ids(api.get(f"/v1/orders?customer_id={maria['id']}")) == [first["id"]]
    assert api.get("/v1/orders?status=lost").status_code == 422


def test_filter_by_updated_since(api, make_order):
    first, second = make_order(), make_order()
    changed = _move(api, first["id"], "paid").json

    since_change = api.get("/v1/orders", query_string={"updated_since": changed["updated_at"]})
    since_second = api.get("/v1/orders", query_string={"updated_since": second["updated_at"]})

    assert _ids(since_change) == [first["id"]]
    assert _ids(since_second) == [second["id"], first["id"]]
    naive = api.get("/v1/orders", query_string={"updated_since": "2024-01-01T00:00:00"})
    assert naive.status_code == 422  # a time without a zone is ambiguous


def test_order_too_large_for_the_books_is_422_not_a_crash(api, make_product, make_customer):
    """Each price and quantity is allowed, but 100,000 × 9,999,999,999.99 is not an order."""
    product = make_product(price="9999999999.99")

    response = api.post("/v1/orders", json={"customer_id": make_customer()["id"], "items": [
        {"product_id": product["id"], "quantity": 100_000}]})

    assert response.status_code == 422
    assert "items" in response.json["error"]["fields"]
