"""Omie connector against its sandbox, over real HTTP."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import httpx
import pytest
from sandbox_helpers import connect

from markethub.connectors.omie.sandbox import DEMO_KEY, DEMO_SECRET, OmieLimits
from markethub.connectors.sandbox_kit.connect import open_sandbox_session
from markethub.connectors.sdk import Governor
from markethub.connectors.sdk.values import BRASILIA
from markethub.connectors.sdk.errors import (AuthError, InvalidInputError, RateLimitedError,
                                             RejectedError)


def rpc(running, service: str, call: str, param: dict, secret: str = DEMO_SECRET):
    return httpx.post(f"{running.url}/api/v1/{service}/", json={
        "call": call, "app_key": DEMO_KEY, "app_secret": secret, "param": [param]})


def records(run) -> list[dict]:
    return [r for page in run for r in page.records]


@pytest.fixture
def omie(start_sandbox):
    def start(**options):
        return start_sandbox("omie", **{"rate_limit": False, "products": 250, "orders": 14,
                                        **options})
    return start


def test_full_sync_pages_to_total_de_paginas_with_keys_in_the_body(omie):
    running = omie()
    session = connect("omie", running)
    pages = list(session.sync("sync_products"))
    assert [len(p.records) for p in pages] == [100, 100, 50]
    calls = running.calls("/api/v1/")
    assert [c["path"] for c in calls] == ["/api/v1/geral/produtos/"] * 3
    body = calls[0]["body"]
    assert set(body) == {"call", "app_key", "app_secret", "param"}
    assert body["call"] == "ListarProdutos" and len(body["param"]) == 1
    assert [c["body"]["param"][0]["pagina"] for c in calls] == [1, 2, 3]


def test_an_empty_page_fault_5113_is_the_end_of_the_list_not_an_error(omie):
    running = omie()
    session = connect("omie", running)
    assert records(session.sync("sync_products", since=datetime.now(timezone.utc))) == []
    (call,) = running.calls("/api/v1/")
    assert call["status"] == 500  # Omie's fault for "Não existem registros para a página [1]!"


def test_incremental_sync_after_touching_reads_only_the_changes(omie):
    running = omie()
    session = connect("omie", running)
    first = session.sync("sync_products")
    list(first)
    touched = {str(i) for i in running.touch(10)}
    running.clear_calls()
    changed = records(session.sync("sync_products", since=first.started_at))
    assert {r["external_id"] for r in changed} == touched
    (call,) = running.calls("/api/v1/")
    param = call["body"]["param"][0]
    assert {"filtrar_por_data_de", "filtrar_por_hora_de"} <= set(param)


def test_orders_sync_brings_items_totals_and_the_customer_document(omie):
    running = omie()
    session = connect("omie", running)
    orders = records(session.sync("sync_orders"))
    assert len(orders) == 14
    assert {o["status"] for o in orders} == {"pending", "paid", "invoiced", "shipped", "cancelled"}
    assert all(o["customer"]["document_type"] in ("cpf", "cnpj") for o in orders)
    assert [c["body"]["call"] for c in running.calls("/api/v1/")] == ["ListarPedidos",
                                                                       "ListarClientes"]


def test_update_stock_adjusts_and_omie_keeps_the_balance(omie):
    running = omie()
    session = connect("omie", running)
    assert session.run("update_stock", {"sku": "CAM-00001", "quantity": "9"})["quantity"] == "9"
    after = session.run("update_stock", {"sku": "CAM-00001", "quantity": 3, "operation": "add"})
    assert after["quantity"] == "12"
    adjust = [c for c in running.calls("/api/v1/estoque/ajuste/")][0]["body"]["param"][0]
    assert adjust["tipo"] == "SLD" and adjust["motivo"] == "INV" and adjust["origem"] == "AJU"
    assert adjust["data"] == datetime.now(BRASILIA).strftime("%d/%m/%Y")  # Omie's date format


def test_create_invoice_returns_the_nfe_number_and_key(omie):
    running = omie()
    session = connect("omie", running)
    result = session.run("create_invoice", {"order_id": "3599261001"})
    invoice = result["invoice"]
    assert invoice["status"] == "authorized" and len(invoice["access_key"]) == 44
    assert invoice["number"] and result["message"] == "Pedido faturado com sucesso!"
    # A retry (say the first answer was lost) gets the same invoice, not an error. A fresh
    # session: the first one would wait out Omie's 60 s rule for the same StatusPedido.
    retry = connect("omie", running).run("create_invoice", {"order_id": "3599261001"})
    assert retry["invoice"] == invoice and "já foi faturado" in retry["message"]
    assert [c["body"]["call"] for c in running.calls("/api/v1/")].count("FaturarPedidoVenda") == 2


def test_an_invoice_still_at_sefaz_comes_back_pending(omie):
    running = omie(invoice_delay=3600)
    session = connect("omie", running)
    result = session.run("create_invoice", {"order_id": "3599261002"})
    assert result["invoice"] == {"external_id": None, "number": None, "series": None,
                                 "access_key": None, "status": "pending"}


def test_a_refused_invoice_carries_omies_own_message(omie):
    running = omie()
    session = connect("omie", running)
    with pytest.raises(RejectedError) as caught:
        session.run("create_invoice", {"order_id": "3599261006"})  # a cancelled order
    assert caught.value.erp_message == "O pedido [1006] está cancelado e não pode ser faturado!"
    assert caught.value.erp_code == "SOAP-ENV:Client-105"


@pytest.mark.parametrize("fault_status", [500, 200])
def test_bad_keys_are_an_auth_error_whatever_the_fault_status(omie, fault_status):
    running = omie(fault_status=fault_status)
    good = connect("omie", running)
    assert good.test() == {"label": "Loja Sandbox"}
    bad = open_sandbox_session("omie", running.url)
    bad.ctx.credentials["app_secret"] = "wrong"
    with pytest.raises(AuthError) as caught:
        bad.test()
    assert caught.value.status == fault_status
    assert len(records(good.sync("sync_products"))) == 250  # and paging still ends cleanly


@pytest.mark.parametrize("action,bad_input", [
    ("update_stock", {"sku": "CAM-00001", "quantity": "-1"}),
    ("update_stock", {"quantity": "1"}),
    ("create_invoice", {}),
    ("create_invoice", {"order_id": "12ab"}),
])
def test_bad_input_is_refused_before_any_request(omie, action, bad_input):
    running = omie()
    session = connect("omie", running)
    with pytest.raises(InvalidInputError):
        session.run(action, bad_input)
    assert running.calls() == []


# -- Omie's limits -----------------------------------------------------------------------------
def test_over_the_per_method_limit_omie_answers_429(omie):
    running = omie(rate_limit=OmieLimits(per_method_per_minute=3))
    answers = [rpc(running, "estoque/local", "ListarLocaisEstoque", {"nPagina": 1})
               for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["faultcode"] == "SOAP-ENV:Client-429"


def test_the_governed_client_stops_before_omies_per_method_limit(omie):
    running = omie(rate_limit=OmieLimits(per_method_per_minute=3))
    session = open_sandbox_session("omie", running.url, {"requests_per_minute_per_method": 3},
                                   governor=Governor(max_wait=1))
    for _ in range(3):
        session.test()
    with pytest.raises(RateLimitedError) as caught:
        session.test()
    assert 55 < caught.value.retry_after <= 61
    assert [c["status"] for c in running.calls("/api/v1/")] == [200, 200, 200]


def test_the_same_consulta_twice_in_a_minute_is_refused_and_never_sent_twice(omie):
    running = omie(rate_limit=True)
    first = rpc(running, "produtos/pedido", "StatusPedido", {"codigo_pedido": 3599261004})
    again = rpc(running, "produtos/pedido", "StatusPedido", {"codigo_pedido": 3599261004})
    assert first.status_code == 200
    assert again.json()["faultcode"] == "SOAP-ENV:Client-6"
    assert "Consumo redundante" in again.json()["faultstring"]
    running.reset()
    session = open_sandbox_session("omie", running.url, governor=Governor(max_wait=1))
    session.ctx.client.call("produtos/pedido", "StatusPedido", {"codigo_pedido": 3599261004})
    with pytest.raises(RateLimitedError):
        session.ctx.client.call("produtos/pedido", "StatusPedido", {"codigo_pedido": 3599261004})
    assert len(running.calls("/api/v1/")) == 1


def test_never_more_than_four_requests_in_flight_per_method(omie):
    running = omie(rate_limit=True, latency=0.2)
    raw = _in_parallel(8, lambda: rpc(running, "estoque/local", "ListarLocaisEstoque",
                                      {"nPagina": 1}).status_code)
    assert 429 in raw
    running.reset()
    session = open_sandbox_session("omie", running.url)
    governed = _in_parallel(8, lambda: session.ctx.client.call(
        "estoque/local", "ListarLocaisEstoque", {"nPagina": 1}) and 200)
    assert governed == [200] * 8
    assert all(c["status"] == 200 for c in running.calls("/api/v1/"))


def _in_parallel(count: int, work) -> list:
    results, lock = [], threading.Lock()

    def run():
        value = work()
        with lock:
            results.append(value)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_updated_product_trigger_fires_once_per_change(omie):
    running = omie(products=30)
    session = connect("omie", running)
    first = session.poll("updated_product")
    assert first.items == []
    touched = {str(i) for i in running.touch(2)}
    second = session.poll("updated_product", state=first.state)
    assert {p["external_id"] for p in second.items} == touched
    assert session.poll("updated_product", state=second.state).items == []
