"""Every write path emits the catalogue's events, and every emitted `data` matches its documented
JSON Schema — with no field the schema does not declare (so the docs cannot drift)."""
from __future__ import annotations

import jsonschema

from markethub.platform.events.catalogue import BY_NAME


def _undeclared(schema: dict, value, path: str = "data") -> list[str]:
    """Paths of object keys in `value` that `schema` (or its anyOf branches) does not declare."""
    if isinstance(value, dict):
        branches = [s for s in schema.get("anyOf", [schema]) if s.get("type") == "object"]
        if not branches:
            return []
        declared = branches[0].get("properties")
        if declared is None:
            return []  # a free-form object (metadata, previous_attributes)
        return [p for key, item in value.items() for p in (
            [f"{path}.{key}"] if key not in declared else
            _undeclared(declared[key], item, f"{path}.{key}"))]
    if isinstance(value, list) and "items" in schema:
        return [p for index, item in enumerate(value)
                for p in _undeclared(schema["items"], item, f"{path}[{index}]")]
    return []


def _check(events: list[dict]) -> None:
    for event in events:
        event_type = BY_NAME[event["event"]]
        errors = [e.message for e in jsonschema.Draft202012Validator(
            event_type.schema).iter_errors(event["data"])]
        assert errors == [], (event["event"], errors)
        assert _undeclared(event_type.schema, event["data"]) == [], event["event"]


def _log(api) -> list[dict]:
    return list(reversed(api.get("/v1/events?limit=100").json["data"]))


def test_product_writes(api, make_product):
    product = make_product(description="Caneca", cost="5.00", weight_kg="0.300",
                           dimensions={"height_cm": "10", "width_cm": "8", "length_cm": "8"},
                           metadata={"cor": "azul"})
    api.put(f"/v1/products/{product['id']}", json={"name": "Caneca Grande"})
    api.delete(f"/v1/products/{product['id']}")

    events = _log(api)

    assert [e["event"] for e in events] == ["product.created", "product.updated",
                                            "product.deleted"]
    assert events[0]["data"] == product
    assert events[1]["data"]["previous_attributes"] == {"name": "Caneca"}
    assert events[2]["data"]["active"] is False
    _check(events)


def test_stock_writes_and_one_alert_per_crossing(api, make_product):
    product = make_product()
    for change in ({"quantity": 10, "low_stock_threshold": 3}, {"adjustment": -8},
                   {"adjustment": -1}, {"quantity": 20}, {"quantity": 3}):
        assert api.put(f"/v1/inventory/{product['id']}", json=change).status_code == 200

    events = _log(api)[1:]

    assert [e["event"] for e in events] == [
        "inventory.updated",
        "inventory.updated", "inventory.low_stock_alert", "product.stock_low",  # 10 → 2
        "inventory.updated",  # 2 → 1: still low, no second alert
        "inventory.updated",  # back above
        "inventory.updated", "inventory.low_stock_alert", "product.stock_low",  # crosses again
    ]
    assert events[3]["data"]["inventory"] == {"quantity": 2, "low_stock_threshold": 3}
    assert events[2]["data"]["previous_quantity"] == 10
    _check(events)


def test_customer_and_order_writes(api, make_product):
    product = make_product(price="99.90")
    customer = api.post("/v1/customers", json={
        "name": "Maria Silva", "document": "529.982.247-25", "email": "maria@example.com.br",
        "address": {"street": "Av. Paulista", "number": "1578", "city": "São Paulo",
                    "state": "SP", "postal_code": "01310-200"}}).json
    api.put(f"/v1/customers/{customer['id']}", json={"phone": "+55 11 98765-4321"})
    order = api.post("/v1/orders", json={"customer_id": customer["id"], "shipping_total": "15",
                                         "items": [{"product_id": product["id"],
                                                    "quantity": 2}]}).json
    for change in ({"status": "paid"}, {"status": "invoiced"},
                   {"status": "shipped", "tracking_code": "BR123456789BR"},
                   {"status": "delivered"}, {"notes": "entregue na portaria"}):
        assert api.put(f"/v1/orders/{order['id']}", json=change).status_code == 200
    second = api.post("/v1/orders", json={"customer_id": customer["id"], "items": [
        {"product_id": product["id"], "quantity": 1}]}).json
    api.put(f"/v1/orders/{second['id']}", json={"status": "cancelled"})

    events = [e for e in _log(api) if not e["event"].startswith("product.")]
    types = [e["event"] for e in events]

    assert types[:3] == ["customer.created", "customer.updated", "order.created"]
    assert types.count("order.status_changed") == 5
    assert types.count("order.updated") == 6
    for expected in ("order.shipped", "order.delivered", "order.cancelled"):
        assert types.count(expected) == 1
    created = events[2]["data"]
    assert created == order and created["total"] == "214.80"
    assert created["customer"]["id"] == customer["id"] and len(created["items"]) == 1
    _check(events)
