"""The sandboxes themselves: deterministic realistic seeds, every order status, the test-only
endpoints, the command line, and each ERP's conventions."""
from __future__ import annotations

import copy
import socket
import subprocess
import sys
import time

import httpx
import pytest

from markethub.connectors.bling.sandbox.state import STATUSES as BLING_STATUSES
from markethub.connectors.omie.sandbox import DEMO_KEY, DEMO_SECRET
from markethub.connectors.omie.sandbox.state import STAGES
from markethub.connectors.registry import keys, sandbox
from markethub.connectors.sandbox_kit.fake import build_catalogue
from markethub.connectors.tiny.sandbox import DEMO_TOKEN
from markethub.connectors.tiny.sandbox.state import STATUSES as TINY_STATUSES
from markethub.platform.validators import is_valid_gtin, normalise_document, normalise_ncm


def test_the_catalogue_is_realistic_and_valid_at_benchmark_size():
    catalogue = build_catalogue(seed=7, products=10_000, customers=300, orders=500)
    products = catalogue.products
    assert len({p.sku for p in products}) == len({p.gtin for p in products}) == 10_000
    assert all(is_valid_gtin(p.gtin) and len(p.gtin) == 13 for p in products)
    assert all(normalise_ncm(p.ncm) == p.ncm for p in products)
    assert any("ç" in p.name or "é" in p.name or "ê" in p.name for p in products)
    documents = [normalise_document(c.document) for c in catalogue.customers]
    assert all(documents) and {kind for _, kind in documents} == {"cpf", "cnpj"}
    assert all(p.price > 0 and p.price.as_tuple().exponent == -2 for p in products)


def test_the_same_seed_gives_the_same_erp_byte_for_byte():
    def first_page(seed):
        client = sandbox("omie").create_app(seed=seed, products=50, orders=5).test_client()
        return client.post("/api/v1/geral/produtos/", json={
            "call": "ListarProdutos", "app_key": DEMO_KEY, "app_secret": DEMO_SECRET,
            "param": [{"pagina": 1}]}).data

    assert first_page(1) == first_page(1)
    assert first_page(1) != first_page(2)


def test_orders_come_in_every_status_of_each_erp():
    bling = sandbox("bling").create_app(orders=30).config["SANDBOX_STATE"]
    assert {o["situacao"]["id"] for o in bling.orders.values()} == \
        {status_id for status_id, _, _ in BLING_STATUSES}
    omie = sandbox("omie").create_app(orders=30).config["SANDBOX_STATE"]
    assert {(o["etapa"], o["faturado"], o["cancelado"]) for o in omie.orders.values()} == \
        set(STAGES)
    tiny = sandbox("tiny").create_app(orders=30).config["SANDBOX_STATE"]
    assert {o["situacao"] for o in tiny.orders.values()} == {code for code, _ in TINY_STATUSES}


@pytest.mark.parametrize("key", keys())
def test_reset_undoes_writes_and_touch_changes_n_records(start_sandbox, key):
    running = start_sandbox(key, products=40, orders=4, rate_limit=False)
    state = running.app.config["SANDBOX_STATE"]
    before = copy.deepcopy(state.products)
    touched = running.touch(5)
    assert len(touched) == 5 and len(set(touched)) == 5
    assert sum(state.products[i] != before[i] for i in before) == 5
    running.reset()
    assert state.products == before
    assert running.calls() == []


def test_the_call_log_keeps_method_path_query_and_body(start_sandbox):
    running = start_sandbox("tiny", products=5, orders=1, rate_limit=False)
    httpx.post(f"{running.url}/api2/produto.obter.php?formato=json",
               data={"token": DEMO_TOKEN, "id": "46829001"})
    (call,) = running.calls()
    assert call["method"] == "POST" and call["path"] == "/api2/produto.obter.php"
    assert call["query"] == {"formato": "json"} and call["body"]["id"] == "46829001"
    assert call["status"] == 200 and call["time"]


def test_omie_wants_the_trailing_slash(start_sandbox):
    running = start_sandbox("omie", products=5, orders=1, rate_limit=False)
    answer = httpx.post(f"{running.url}/api/v1/geral/produtos", json={})
    assert answer.status_code in (301, 308)


def test_bling_answers_unknown_paths_with_its_error_envelope(start_sandbox):
    running = start_sandbox("bling", products=5, orders=1, rate_limit=False)
    answer = httpx.get(f"{running.url}/Api/v3/nao-existe")
    assert answer.status_code == 404
    assert answer.json()["error"]["type"] == "RESOURCE_NOT_FOUND"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("key", keys())
def test_each_sandbox_runs_from_the_command_line(key):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", f"markethub.connectors.{key}.sandbox", "--port", str(port),
         "--products", "20", "--orders", "2", "--customers", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/__sandbox/calls", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"{key} sandbox did not start")
        assert answer.status_code == 200 and answer.json() == {"calls": []}
    finally:
        process.terminate()
        process.wait(10)


def test_each_erp_speaks_its_own_formats(start_sandbox):
    omie = start_sandbox("omie", products=5, orders=1, rate_limit=False)
    answer = httpx.post(f"{omie.url}/api/v1/geral/produtos/", json={
        "call": "ListarProdutos", "app_key": DEMO_KEY, "app_secret": DEMO_SECRET,
        "param": [{"pagina": 1}]}).json()
    product = answer["produto_servico_cadastro"][0]
    assert product["inativo"] in ("S", "N") and isinstance(product["valor_unitario"], float)
    assert time.strptime(product["info"]["dAlt"], "%d/%m/%Y")
    empty = httpx.post(f"{omie.url}/api/v1/geral/produtos/", json={
        "call": "ListarProdutos", "app_key": DEMO_KEY, "app_secret": DEMO_SECRET,
        "param": [{"pagina": 99}]})
    assert empty.status_code == 500 and empty.content == (
        '{"faultstring":"ERROR: Não existem registros para a página [99]!",'
        '"faultcode":"SOAP-ENV:Client-5113"}').encode()

    tiny = start_sandbox("tiny", products=5, orders=1, rate_limit=False)
    retorno = httpx.post(f"{tiny.url}/api2/produtos.pesquisa.php", data={
        "token": DEMO_TOKEN, "formato": "json", "pesquisa": ""}).json()["retorno"]
    row = retorno["produtos"][0]["produto"]
    assert retorno["numero_paginas"] == "1" and isinstance(row["preco"], str)
    assert row["preco"].count(".") == 1 and len(row["preco"].split(".")[1]) == 2
    assert time.strptime(row["data_criacao"], "%d/%m/%Y %H:%M:%S")
