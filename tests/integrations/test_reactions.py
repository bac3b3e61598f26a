"""Automatic reactions and pushes: a stock change here reaches the ERP, an order created here is
created in Bling (and matched, not duplicated, when Bling's orders come back), Omie invoices an
order; changes that came from an ERP are never pushed back to it; refusals keep the ERP's
words."""
from __future__ import annotations

from erp_support import events, run_pushes, run_sync, work_queues
from sqlalchemy import func, select

from markethub.platform.events.dispatcher import dispatch_pending
from markethub.platform.extensions import db
from markethub.platform.integrations import scheduler
from markethub.platform.models import ExternalRef, IntegrationPush, Order


def _dispatch(app) -> None:
    with app.app_context():
        while dispatch_pending(500):
            pass
        db.session.remove()


def _sync(api, app, integration_id: str) -> dict:
    run_id = api.post(f"/v1/integrations/{integration_id}/sync").json["id"]
    run_sync(app, run_id)
    return api.get(f"/v1/integrations/runs/{run_id}").json


def _pushes(api, integration_id: str) -> list[dict]:
    return api.get(f"/v1/integrations/{integration_id}/pushes?limit=100").json["data"]


def _local_id(app, integration_id: str, resource: str, external_id: str) -> str:
    with app.app_context():
        return db.session.execute(select(ExternalRef.local_id).where(
            ExternalRef.integration_id == integration_id, ExternalRef.resource == resource,
            ExternalRef.external_id == external_id)).scalar_one()


def test_a_stock_change_here_is_pushed_once_with_the_latest_quantity(app, api, start_erp,
                                                                     connect):
    tiny = start_erp("tiny", products=20, orders=0)
    integration = connect("tiny", reactions={"push_stock": True})
    assert _sync(api, app, integration["id"])["status"] == "succeeded"
    product = api.get("/v1/products?limit=1").json["data"][0]
    _dispatch(app)  # the sync's events: no stock in Tiny's listing, so nothing to push
    assert _pushes(api, integration["id"]) == []

    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 5})
    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 7})
    _dispatch(app)
    tiny.clear_calls()
    stats = run_pushes(app)

    pushes = _pushes(api, integration["id"])
    assert [p["status"] for p in pushes] == ["succeeded", "succeeded"]
    assert stats == {"succeeded": 1}  # both events, one call: the stock now
    moved = [c for c in tiny.calls("/api2/produto.atualizar.estoque.php")]
    assert len(moved) == 1
    sent = moved[0]["body"]["estoque"]
    external_id = pushes[0]["external_id"]
    assert external_id == _external_of(app, integration["id"], product["id"])
    assert '"quantidade":"7"' in sent.replace(" ", "") or '"quantidade": "7"' in sent
    assert {p["source_event_id"] is not None for p in pushes} == {True}


def _external_of(app, integration_id: str, product_id: str) -> str:
    with app.app_context():
        return db.session.execute(select(ExternalRef.external_id).where(
            ExternalRef.integration_id == integration_id, ExternalRef.resource == "product",
            ExternalRef.local_id == product_id)).scalar_one()


def test_stock_pulled_from_bling_is_not_pushed_back_to_bling(app, api, start_erp, connect,
                                                            account):
    bling = start_erp("bling", products=30, orders=0)
    integration = connect("bling", reactions={"push_stock": True})
    run = _sync(api, app, integration["id"])
    _dispatch(app)
    pulled = events(app, account.tenant_id, "inventory.updated")

    assert run["counts"]["inventory"]["updated"] == len(pulled) > 0
    assert _pushes(api, integration["id"]) == []  # every one came from this integration
    assert bling.calls("/Api/v3/estoques") == []

    product_id = pulled[0].data["product_id"]
    api.put(f"/v1/inventory/{product_id}", json={"quantity": 99})  # a change made here
    _dispatch(app)
    assert scheduler.tick(app)["pushes"] is True  # the tick queues the pushes job
    work_queues(app)  # which a real RQ worker runs
    assert run_pushes(app) == {}  # nothing left
    (push,) = _pushes(api, integration["id"])
    posted = [c for c in bling.calls("/Api/v3/estoques") if c["method"] == "POST"]
    assert push["status"] == "succeeded" and push["result"]["quantity"] == "99"
    assert [c["method"] for c in posted] == ["POST"]
    assert str(posted[0]["body"]["produto"]["id"]) == push["external_id"]

    bling.clear_calls()
    again = _sync(api, app, integration["id"])  # Bling now reports 99 for that product
    _dispatch(app)
    assert again["counts"].get("inventory", {}).get("updated", 0) == 0
    assert len(_pushes(api, integration["id"])) == 1  # no echo in either direction


def test_an_order_created_here_is_created_in_bling_and_matched_when_it_comes_back(
        app, api, start_erp, connect, account):
    bling = start_erp("bling", products=10, orders=0, customers=1)
    integration = connect("bling", reactions={"create_orders": True})
    _sync(api, app, integration["id"])
    _dispatch(app)
    product = api.get("/v1/products?limit=1").json["data"][0]
    customer = api.post("/v1/customers", json={"name": "Maria Silva",
                                               "document": "529.982.247-25"}).json
    order = api.post("/v1/orders", json={"customer_id": customer["id"], "items": [
        {"product_id": product["id"], "quantity": 2, "unit_price": "19.90"}]}).json

    _dispatch(app)
    run_pushes(app)
    (push,) = _pushes(api, integration["id"])
    created = [c for c in bling.calls("/Api/v3/pedidos/vendas") if c["method"] == "POST"]

    assert push["status"] == "succeeded", push
    assert push["action"] == "create_order" and push["local_id"] == order["id"]
    assert len(created) == 1 and created[0]["body"]["numeroLoja"] == order["id"]
    assert created[0]["body"]["itens"][0]["quantidade"] == 2
    assert _local_id(app, integration["id"], "order", push["external_id"]) == order["id"]

    back = _sync(api, app, integration["id"])  # Bling's new order comes back in the pull
    assert back["counts"]["order"]["created"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order).where(
            Order.tenant_id == account.tenant_id)) == 1
    assert len(events(app, account.tenant_id, "order.created")) == 1


def test_omie_invoices_an_order_and_a_refusal_keeps_omies_words(app, api, start_erp, connect):
    start_erp("omie", products=10, orders=6, customers=3)
    integration = connect("omie")
    _sync(api, app, integration["id"])
    good = _local_id(app, integration["id"], "order", "3599261001")
    cancelled = _local_id(app, integration["id"], "order", "3599261006")
    path = f"/v1/integrations/{integration['id']}/pushes"

    accepted = api.post(path, json={"action": "create_invoice", "order_id": good})
    api.post(path, json={"action": "create_invoice", "order_id": cancelled})
    run_pushes(app)
    by_order = {p["local_id"]: p for p in _pushes(api, integration["id"])}

    assert accepted.status_code == 202 and accepted.json["status"] == "pending"
    invoiced = by_order[good]
    assert invoiced["status"] == "succeeded"
    assert invoiced["result"]["invoice"]["status"] == "authorized"
    assert len(invoiced["external_id"]) == 44  # the NF-e access key
    assert invoiced["external_id"] == invoiced["result"]["invoice"]["access_key"]
    refused = by_order[cancelled]
    assert refused["status"] == "failed"
    assert refused["error"]["erp_message"].endswith("está cancelado e não pode ser faturado!")
    assert refused["error"]["code"] == "erp_rejected"


def test_push_requests_are_checked(api, start_erp, connect):
    start_erp("tiny", products=3, orders=0)
    integration = connect("tiny")
    path = f"/v1/integrations/{integration['id']}/pushes"
    cases = [({"action": "create_order", "order_id": "ord_x"}, "unsupported_action"),
             ({"action": "update_stock"}, "validation_error"),
             ({"action": "update_stock", "product_id": "prod_nope"}, "invalid_reference"),
             ({"action": "fly"}, "validation_error")]
    for body, code in cases:
        answer = api.post(path, json=body)
        assert answer.status_code == 422, answer.json
        assert answer.json["error"]["code"] == code


def test_pushes_wait_while_the_credentials_are_refused(app, api, start_erp, connect):
    start_erp("tiny", products=5, orders=0)
    integration = connect("tiny", reactions={"push_stock": True})
    product = api.post("/v1/products", json={"sku": "ONLY-HERE", "name": "Caneca",
                                             "price": "10.00"}).json
    path = f"/v1/integrations/{integration['id']}"
    api.put(path, json={"credentials": {"token": "a-revoked-token-000"}})  # → error
    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 3})
    _dispatch(app)

    assert run_pushes(app) == {}
    (waiting,) = _pushes(api, integration["id"])
    assert waiting["status"] == "pending"

    fixed = api.put(path, json={"credentials": {"token": "tiny-sandbox-token-0001"}})
    assert fixed.json["status"] == "connected"
    run_pushes(app)
    (done,) = _pushes(api, integration["id"])
    assert done["status"] == "failed"  # Tiny has no product with that SKU: its own words
    assert done["error"]["code"] == "erp_rejected" and "ONLY-HERE" in done["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IntegrationPush)) >= 1
