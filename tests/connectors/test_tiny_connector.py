"""Tiny v2 connector against its sandbox, over real HTTP."""
from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import connect

from markethub.connectors.sandbox_kit.connect import open_sandbox_session
from markethub.connectors.sdk import Governor
from markethub.connectors.sdk.errors import (AuthError, InvalidInputError, RateLimitedError,
                                             RejectedError)
from markethub.connectors.tiny.sandbox import DEMO_TOKEN, TinyLimits

FAST = {"calls_per_minute": 100_000}


def records(run) -> list[dict]:
    return [r for page in run for r in page.records]


@pytest.fixture
def tiny(start_sandbox):
    def start(**options):
        return start_sandbox("tiny", **{"rate_limit": False, "products": 250, "orders": 9,
                                        **options})
    return start


def test_full_sync_pages_to_numero_paginas_with_the_token_in_the_form(tiny):
    running = tiny()
    session = connect("tiny", running, **FAST)
    assert [len(p.records) for p in session.sync("sync_products")] == [100, 100, 50]
    calls = running.calls("/api2/")
    assert [c["path"] for c in calls] == ["/api2/produtos.pesquisa.php"] * 3
    assert all(c["query"] == {} for c in calls)  # the token never travels in a URL
    assert calls[0]["body"] == {"token": DEMO_TOKEN, "formato": "json", "pesquisa": "",
                                "pagina": "1"}


def test_a_full_last_page_ends_the_list_by_numero_paginas(tiny):
    running = tiny(products=200)
    session = connect("tiny", running, **FAST)
    assert [len(p.records) for p in session.sync("sync_products")] == [100, 100]


def test_no_changes_is_codigo_erro_20_and_not_a_failure(tiny):
    running = tiny()
    session = connect("tiny", running, **FAST)
    first = session.sync("sync_products")
    list(first)
    running.clear_calls()
    assert records(session.sync("sync_products", since=first.started_at)) == []
    (call,) = running.calls("/api2/")
    assert call["path"] == "/api2/lista.atualizacoes.produtos" and call["status"] == 200


def test_incremental_sync_after_touching_reads_only_the_changes(tiny):
    running = tiny()
    session = connect("tiny", running, **FAST)
    first = session.sync("sync_products")
    list(first)
    touched = {str(i) for i in running.touch(10)}
    running.clear_calls()
    changed = records(session.sync("sync_products", since=first.started_at))
    assert {r["external_id"] for r in changed} == touched
    assert len(running.calls("/api2/")) == 1


def test_orders_sync_reads_each_order_and_maps_every_tiny_status(tiny):
    running = tiny(orders=9)
    session = connect("tiny", running, **FAST)
    orders = records(session.sync("sync_orders"))
    assert len(orders) == 9
    assert {o["status"] for o in orders} == {"pending", "paid", "invoiced", "shipped",
                                             "delivered", "cancelled"}
    assert len({o["erp_status"] for o in orders}) == 9
    assert all(o["items"] and o["total"] for o in orders)
    assert len(running.calls("/api2/pedido.obter.php")) == 9


def test_update_stock_sets_the_balance_and_tiny_keeps_it(tiny):
    running = tiny()
    session = connect("tiny", running, **FAST)
    result = session.run("update_stock", {"sku": "CAM-00001", "quantity": "21",
                                          "deposit": "Geral"})
    assert result == {"product_external_id": "46829001", "sku": "CAM-00001", "quantity": "21",
                      "deposit": "Geral", "movement_id": None}
    (posted,) = running.calls("/api2/produto.atualizar.estoque.php")
    assert posted["body"]["estoque"] == ('{"estoque": {"idProduto": 46829001, "tipo": "B", '
                                         '"quantidade": "21", "deposito": "Geral"}}')


def test_an_item_tiny_refuses_carries_tinys_message(tiny):
    running = tiny()
    session = connect("tiny", running, **FAST)
    with pytest.raises(RejectedError) as caught:
        session.run("update_stock", {"product_id": "1", "quantity": "1"})
    assert caught.value.erp_message == "Produto não localizado"
    assert caught.value.erp_code == 32 and caught.value.status == 200


def test_a_bad_token_is_an_auth_error_in_tinys_http_200_envelope(tiny):
    running = tiny()
    answer = httpx.post(f"{running.url}/api2/info.php", data={"token": "wrong",
                                                              "formato": "json"})
    assert answer.status_code == 200 and answer.headers["x-limit-api"] == "60"
    assert answer.content == ('{"retorno":{"status_processamento":"2","status":"Erro",'
                              '"codigo_erro":2,"erros":[{"erro":"Token inválido ou não '
                              'encontrado"}]}}').encode()
    session = open_sandbox_session("tiny", running.url)
    session.ctx.credentials["token"] = "wrong-token"
    with pytest.raises(AuthError) as caught:
        session.test()
    assert caught.value.erp_code == 2


@pytest.mark.parametrize("bad_input", [{"sku": "CAM-00001", "quantity": "1,5"},
                                       {"quantity": "1"},
                                       {"sku": "CAM-00001", "quantity": "1", "operation": "set"}])
def test_bad_input_is_refused_before_any_request(tiny, bad_input):
    running = tiny()
    session = connect("tiny", running, **FAST)
    with pytest.raises(InvalidInputError):
        session.run("update_stock", bad_input)
    assert running.calls() == []


def test_over_the_plan_limit_tiny_answers_codigo_erro_6(tiny):
    running = tiny(rate_limit=TinyLimits(calls_per_minute=3))
    answers = [httpx.post(f"{running.url}/api2/info.php",
                          data={"token": DEMO_TOKEN, "formato": "json"}).json()
               for _ in range(4)]
    assert [a["retorno"]["status"] for a in answers] == ["OK", "OK", "OK", "Erro"]
    assert answers[-1]["retorno"]["codigo_erro"] == 6


def test_the_governed_client_stays_under_the_plans_limit(tiny):
    running = tiny(rate_limit=TinyLimits(calls_per_minute=3))
    session = open_sandbox_session("tiny", running.url, {"calls_per_minute": 3},
                                   governor=Governor(max_wait=1))
    for _ in range(3):
        session.test()
    with pytest.raises(RateLimitedError) as caught:
        session.test()
    assert caught.value.retry_after > 55
    assert len(running.calls("/api2/")) == 3  # the fourth was never sent


@pytest.mark.parametrize("plan", [30, 60, 120])
def test_the_plans_limit_is_configuration(tiny, plan):
    running = tiny()
    session = connect("tiny", running, calls_per_minute=plan)
    (rule,) = session.ctx.client.rules
    assert rule.limit == plan and rule.period >= 60


def test_updated_product_trigger_fires_once_per_change(tiny):
    running = tiny(products=30)
    session = connect("tiny", running, **FAST)
    first = session.poll("updated_product")
    assert first.items == []
    touched = {str(i) for i in running.touch(2)}
    second = session.poll("updated_product", state=first.state)
    assert {p["external_id"] for p in second.items} == touched
    assert session.poll("updated_product", state=second.state).items == []
