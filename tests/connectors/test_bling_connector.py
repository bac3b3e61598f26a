"""Bling v3 connector against its sandbox, over real HTTP. Every exchange of every test here is
checked against Bling's official OpenAPI spec when the test ends (see bling_openapi.py)."""
from __future__ import annotations

import pytest
from bling_openapi import Recorder, validate
from sandbox_helpers import connect

from markethub.connectors.bling.sandbox import create_app
from markethub.connectors.sdk.errors import InvalidInputError, RejectedError

FAST = {"requests_per_second": 1000}


@pytest.fixture
def bling(start_sandbox):
    """start(**create_app options) -> a running Bling sandbox whose traffic is spec-checked."""
    started = []

    def start(**options):
        options = {"rate_limit": False, "products": 250, "orders": 12, **options}
        recorder = Recorder(create_app(**options))
        running = start_sandbox("bling", app=recorder)
        started.append((running, recorder))
        return running

    yield start
    for running, recorder in started:
        validate(recorder, running.url)


def api_calls(running, method: str | None = None, path: str = "/Api/v3/") -> list[dict]:
    return [c for c in running.calls(path) if "/oauth/" not in c["path"]
            and (method is None or c["method"] == method)]


def records(run) -> list[dict]:
    return [record for page in run for record in page.records]


# -- syncs -----------------------------------------------------------------------------------------
def test_full_sync_pages_until_blings_short_page(bling):
    running = bling(products=250)
    session = connect("bling", running, **FAST)
    running.clear_calls()
    pages = list(session.sync("sync_products"))
    assert [len(p.records) for p in pages] == [100, 100, 50]
    assert len({r["external_id"] for p in pages for r in p.records}) == 250
    listed = api_calls(running, "GET", "/Api/v3/produtos")
    assert [c["query"]["pagina"] for c in listed] == ["1", "2", "3"]
    assert all(c["query"]["limite"] == "100" and c["query"]["criterio"] == "5" for c in listed)


def test_full_sync_ends_on_an_empty_page_when_the_last_page_is_full(bling):
    running = bling(products=200)
    session = connect("bling", running, **FAST)
    pages = list(session.sync("sync_products"))
    assert [len(p.records) for p in pages] == [100, 100, 0]


def test_incremental_sync_after_touching_reads_only_the_changes(bling):
    running = bling(products=250)
    session = connect("bling", running, **FAST)
    first = session.sync("sync_products")
    prices = {r["external_id"]: r["price"] for r in records(first)}
    touched = {str(i) for i in running.touch(10)}
    running.clear_calls()
    changed = records(session.sync("sync_products", since=first.started_at))
    assert {r["external_id"] for r in changed} == touched
    assert all(r["price"] != prices[r["external_id"]] for r in changed)
    calls = api_calls(running)
    assert len(calls) == 1 and "dataAlteracaoInicial" in calls[0]["query"]


def test_a_sync_resumes_after_the_last_stored_page(bling):
    running = bling(products=250)
    session = connect("bling", running, **FAST)
    first_page = next(iter(session.sync("sync_products")))
    rest = list(session.sync("sync_products", resume=first_page.resume))
    assert [len(p.records) for p in rest] == [100, 50]
    assert rest[-1].resume["started_at"] == first_page.resume["started_at"]


def test_orders_sync_reads_every_order_with_items_customer_and_status(bling):
    running = bling(orders=14)
    session = connect("bling", running, **FAST)
    orders = records(session.sync("sync_orders"))
    assert len(orders) == 14
    assert {o["status"] for o in orders} == {"pending", "paid", "delivered", "cancelled"}
    assert all(o["items"] and o["customer"]["document_type"] in ("cpf", "cnpj") for o in orders)
    invoiced = [o for o in orders if o["erp_status"] == "9"]
    assert invoiced and all(o["invoice"]["external_id"] for o in invoiced)
    assert len(api_calls(running, "GET", "/Api/v3/pedidos/vendas/")) == 14


# -- pushes ----------------------------------------------------------------------------------------
def test_update_stock_sets_the_balance_and_bling_keeps_it(bling):
    running = bling()
    session = connect("bling", running, **FAST)
    result = session.run("update_stock", {"sku": "CAM-00001", "quantity": "37"})
    assert result["quantity"] == "37" and result["sku"] == "CAM-00001"
    posted = api_calls(running, "POST", "/Api/v3/estoques")[0]["body"]
    assert posted["operacao"] == "B" and posted["quantidade"] == 37
    synced = {r["sku"]: r for r in records(session.sync("sync_products"))}
    assert synced["CAM-00001"]["stock"] == "37"


def test_create_order_finds_or_creates_the_contact_and_the_order_syncs_back(bling):
    running = bling()
    session = connect("bling", running, **FAST)
    order_input = {"customer": {"name": "Ana Souza", "document": "529.982.247-25"},
                   "items": [{"sku": "CAM-00001", "quantity": "2", "unit_price": "70.90"}],
                   "shipping_total": "15.90", "channel_number": "MLB-42"}
    created = session.run("create_order", order_input)
    assert created["total"] == "157.70" and created["customer"]["document"] == "52998224725"
    retried = session.run("create_order", order_input)  # same channel number: no duplicate
    assert retried == created
    other = session.run("create_order", {**order_input, "channel_number": "MLB-43"})
    assert other["external_id"] != created["external_id"]
    assert other["customer"]["external_id"] == created["customer"]["external_id"]
    assert len(api_calls(running, "POST", "/Api/v3/contatos")) == 1  # found the second time
    assert len(api_calls(running, "POST", "/Api/v3/pedidos/vendas")) == 2
    synced = {o["external_id"]: o for o in records(session.sync("sync_orders"))}
    assert synced[created["external_id"]]["channel_number"] == "MLB-42"


def test_an_order_bling_refuses_carries_blings_own_message(bling):
    running = bling()
    session = connect("bling", running, **FAST)
    with pytest.raises(RejectedError) as caught:
        session.run("create_order", {
            "customer": {"contact_id": "17000000001"},
            "items": [{"product_id": "16000000001", "quantity": 1, "unit_price": "10.00"}],
            "installments": [{"due_on": "2026-12-10", "amount": "10.00",
                              "payment_method_id": "1"}]})
    assert caught.value.erp_code == "VALIDATION_ERROR"
    assert "Id da forma de pagamento inválido." in caught.value.erp_message
    assert caught.value.to_dict()["status"] == 400


def test_an_unknown_sku_is_refused_before_anything_is_written(bling):
    running = bling()
    session = connect("bling", running, **FAST)
    with pytest.raises(RejectedError, match="no product with SKU NOPE-1"):
        session.run("create_order", {"customer": {"name": "Ana", "document": "52998224725"},
                                     "items": [{"sku": "NOPE-1", "quantity": 1,
                                                "unit_price": "1"}]})
    assert api_calls(running, "POST") == []


@pytest.mark.parametrize("bad_input,field", [
    ({"customer": {"name": "Ana", "document": "123.456.789-00"},
      "items": [{"sku": "CAM-00001", "quantity": 1, "unit_price": "1"}]}, "customer.document"),
    ({"customer": {"contact_id": "1"}, "items": []}, "items"),
    ({"customer": {"contact_id": "1"},
      "items": [{"sku": "CAM-00001", "quantity": "-1", "unit_price": "1"}]}, "items.0.quantity"),
])
def test_bad_input_is_refused_before_any_request(bling, bad_input, field):
    running = bling()
    session = connect("bling", running, **FAST)
    running.clear_calls()
    with pytest.raises(InvalidInputError) as caught:
        session.run("create_order", bad_input)
    assert field in caught.value.fields
    assert running.calls() == []


def test_new_order_trigger_fires_once_per_new_order(bling):
    running = bling(orders=3)
    session = connect("bling", running, **FAST)
    first = session.poll("new_order")
    assert first.items == []
    created = session.run("create_order", {
        "customer": {"contact_id": "17000000001"},
        "items": [{"product_id": "16000000001", "quantity": 1, "unit_price": "70.90"}]})
    second = session.poll("new_order", state=first.state)
    assert [o["external_id"] for o in second.items] == [created["external_id"]]
    assert session.poll("new_order", state=second.state).items == []
