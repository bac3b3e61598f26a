"""Every change writes its outbox event in the same transaction; a failed write leaves none."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from markethub.platform.events.wakeup import pump_queue
from markethub.platform.extensions import db
from markethub.platform.models import Event


@pytest.fixture
def events(app, account):
    """The tenant's events so far, oldest first, as (type, data)."""
    def read(tenant_id=None) -> list[tuple[str, dict]]:
        with app.app_context():
            rows = db.session.execute(select(Event).where(
                Event.tenant_id == (tenant_id or account.tenant_id)).order_by(Event.id)).scalars()
            return [(row.type, row.data) for row in rows]
    return read


def _types(events) -> list[str]:
    return [event_type for event_type, _ in events]


def test_create_and_update_product_write_events(api, events, other_account):
    created = api.post("/v1/products", json={"sku": "EV-1", "name": "Caneca", "price": "10"}).json
    api.put(f"/v1/products/{created['id']}", json={"price": "12.50"})

    written = events()

    assert _types(written) == ["product.created", "product.updated"]
    assert written[0][1]["id"] == created["id"]
    assert written[1][1]["price"] == "12.50"
    assert written[1][1]["previous_attributes"] == {"price": "10.00"}
    assert events(other_account.tenant_id) == []


def test_an_update_that_changes_nothing_writes_no_event(api, events, make_product):
    product = make_product(name="Igual")

    api.put(f"/v1/products/{product['id']}", json={"name": "Igual"})

    assert _types(events()) == ["product.created"]


def test_failed_writes_leave_no_event(api, events, make_product, make_customer):
    product = make_product(sku="DUP")
    make_customer(document="529.982.247-25")
    before = events()

    failures = [
        api.post("/v1/products", json={"sku": "DUP", "name": "x", "price": "1"}),
        api.put(f"/v1/products/{make_product(sku='OTHER')['id']}", json={"sku": "DUP"}),
        api.post("/v1/customers", json={"name": "x", "document": "52998224725"}),
        api.put(f"/v1/inventory/{product['id']}", json={"adjustment": -1}),
    ]

    assert [r.status_code for r in failures] == [409, 409, 409, 409]
    assert _types(events()) == _types(before) + ["product.created"]  # only OTHER's creation


def test_rejected_status_change_writes_no_event(api, events, make_order):
    order = make_order()
    before = events()

    assert api.put(f"/v1/orders/{order['id']}",
                   json={"status": "delivered", "notes": "x"}).status_code == 409

    assert events() == before
    assert api.get(f"/v1/orders/{order['id']}").json["notes"] is None  # rolled back together


def test_order_status_events(api, events, make_order):
    order = make_order()
    for status in ("paid", "invoiced", "shipped"):
        api.put(f"/v1/orders/{order['id']}", json={"status": status})

    order_events = [t for t in _types(events()) if t.startswith("order.")]

    assert order_events == ["order.created"] + ["order.updated", "order.status_changed"] * 3 + [
        "order.shipped"]


def test_stock_events_and_one_low_stock_alert_per_crossing(api, events, make_product):
    product = make_product()
    path = f"/v1/inventory/{product['id']}"
    api.put(path, json={"quantity": 10, "low_stock_threshold": 2})
    api.put(path, json={"adjustment": -8})  # crosses down to 2: alert
    api.put(path, json={"adjustment": -1})  # still low: no second alert

    stock = [t for t in _types(events()) if not t.startswith("product.created")]

    assert stock == ["inventory.updated", "inventory.updated", "inventory.low_stock_alert",
                     "product.stock_low", "inventory.updated"]


def test_delete_and_customer_events(api, events, make_product):
    product = make_product()
    api.delete(f"/v1/products/{product['id']}")
    customer = api.post("/v1/customers", json={"name": "Ana"}).json
    api.put(f"/v1/customers/{customer['id']}", json={"name": "Ana Lima"})

    assert _types(events()) == ["product.created", "product.deleted", "customer.created",
                                "customer.updated"]


def test_a_committed_event_wakes_the_webhook_workers_and_a_rolled_back_one_does_not(
        api, settings, make_customer, make_product):
    customer, product = make_customer(), make_product()
    queue = pump_queue(settings)
    queue.empty()  # no worker drains it in these tests

    refused = api.post("/v1/orders", json={"customer_id": customer["id"], "items": [
        {"product_id": product["id"], "quantity": 1}, {"product_id": "prod_gone", "quantity": 1}]})
    woken_by_refusal = queue.count
    created = api.post("/v1/orders", json={"customer_id": customer["id"],
                                           "items": [{"product_id": product["id"], "quantity": 1}]})

    assert refused.status_code == 422 and created.status_code == 201
    assert woken_by_refusal == 0
    assert queue.count == 1  # one pump job drains everything due
    queue.empty()


def test_emit_answers_the_rows_it_wrote_in_order(app, account):
    from markethub.platform.db import write_transaction
    from markethub.platform.services import outbox

    with app.app_context():
        with write_transaction() as session:
            one = outbox.emit(session, account.principal(), "order.created", {"n": 1})
            many = outbox.emit_many(session, account.principal(),
                                    [("order.status_changed", {"n": 2}), ("order.shipped", {"n": 3})])
        stored = db.session.execute(select(Event.id, Event.type).where(
            Event.id.in_([one["id"], *(row["id"] for row in many)])).order_by(Event.id)).all()

    assert [(row.id, row.type) for row in stored] == [
        (one["id"], "order.created"), (many[0]["id"], "order.status_changed"),
        (many[1]["id"], "order.shipped")]
