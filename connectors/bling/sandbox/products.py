"""Bling v3 products, deposits, stock and the company: same paths, params and shapes as the
official spec (`/produtos`, `/depositos`, `/estoques`, `/estoques/saldos`, `/empresas/me/...`)."""
from __future__ import annotations

from decimal import Decimal

from flask import request

from ...sandbox_kit.app import json_response, locked, state
from .common import BadRequest, api_blueprint, date_range, int_list, json_body, number, \
    page_of, ref_id, within
from .shapes import field, not_found, product_detail, product_summary, validation
from .state import COMPANY, DEPOSITS

blueprint = api_blueprint("bling_products")
CRITERIA = {1: ("A", "I"), 2: ("A",), 3: ("I",), 4: ("E",), 5: ("A", "I")}


def _product_filters(product: dict, statuses, changed, included, ids, skus, gtins) -> bool:
    return (product["situacao"] in statuses
            and within(product["_changed"], *changed) and within(product["_created"], *included)
            and (not ids or product["id"] in ids) and (not skus or product["codigo"] in skus)
            and (not gtins or product["gtin"] in gtins)
            and request.args.get("nome", "").lower() in product["nome"].lower())


@blueprint.get("/produtos")
@locked
def list_products():
    criterio = int(request.args.get("criterio") or 1)
    if criterio not in CRITERIA:
        raise BadRequest("VALIDATION_ERROR", "Parâmetro inválido", "Critério inválido.")
    changed = date_range("dataAlteracaoInicial", "dataAlteracaoFinal")
    included = date_range("dataInclusaoInicial", "dataInclusaoFinal")
    ids, skus = set(int_list("idsProdutos[]")), set(request.args.getlist("codigos[]"))
    gtins = set(request.args.getlist("gtins[]"))
    rows = [p for p in state().products.values()
            if _product_filters(p, CRITERIA[criterio], changed, included, ids, skus, gtins)]
    rows.sort(key=lambda p: p["id"], reverse=criterio == 1)  # 1 = "últimos incluídos"
    return json_response({"data": [product_summary(state(), p) for p in page_of(rows)]})


@blueprint.get("/produtos/<int:product_id>")
@locked
def get_product(product_id: int):
    product = state().products.get(product_id)
    if product is None:
        return not_found()
    return json_response({"data": product_detail(state(), product)})


@blueprint.post("/produtos")
@locked
def create_product():
    body = json_body()
    missing = [name for name in ("nome", "tipo", "situacao", "formato") if not body.get(name)]
    if missing:
        return validation("Não foi possível salvar o produto",
                          "O produto não pode ser salvo, pois ocorreram problemas em sua "
                          "validação.",
                          [field(1, f"O campo {name} é obrigatório.", name, "PRODUTOS")
                           for name in missing])
    sandbox = state()
    product_id = sandbox.new_id("product")
    now = sandbox.now()
    sandbox.products[product_id] = {
        "id": product_id, "nome": body["nome"], "codigo": body.get("codigo", ""),
        "preco": number(body.get("preco")) or Decimal(0), "precoCusto": Decimal(0),
        "tipo": body["tipo"], "situacao": body["situacao"], "formato": body["formato"],
        "descricaoCurta": body.get("descricaoCurta", ""), "unidade": body.get("unidade", "UN"),
        "pesoLiquido": Decimal(0), "pesoBruto": Decimal(0), "gtin": body.get("gtin", ""),
        "gtinEmbalagem": body.get("gtinEmbalagem", ""), "marca": body.get("marca", ""),
        "tributacao": {"origem": 0, "ncm": (body.get("tributacao") or {}).get("ncm", ""),
                       "cest": ""}, "_created": now, "_changed": now}
    sandbox.stock[product_id] = {deposit["id"]: Decimal(0) for deposit in DEPOSITS}
    return json_response({"data": {"id": product_id, "variations": {
        "saved": [], "updated": [], "deleted": []}, "warnings": []}}, 201)


@blueprint.get("/depositos")
@locked
def list_deposits():
    wanted = request.args.get("situacao")
    rows = [d for d in DEPOSITS if wanted in (None, "") or str(d["situacao"]) == wanted]
    return json_response({"data": page_of(rows)})


def _balances(deposit_ids: list[int]):
    ids, skus = int_list("idsProdutos[]"), request.args.getlist("codigos[]")
    if not ids and not skus:
        raise BadRequest("VALIDATION_ERROR", "Parâmetro obrigatório",
                         "O parâmetro idsProdutos é obrigatório.")
    sandbox, rows = state(), []
    for product in sandbox.products.values():
        if product["id"] not in ids and product["codigo"] not in skus:
            continue
        stock = sandbox.stock[product["id"]]
        depots = [{"id": d, "saldoFisico": stock.get(d, Decimal(0)),
                   "saldoVirtual": stock.get(d, Decimal(0))} for d in deposit_ids]
        total = sum((row["saldoFisico"] for row in depots), Decimal(0))
        rows.append({"produto": {"id": product["id"], "codigo": product["codigo"]},
                     "saldoFisicoTotal": total, "saldoVirtualTotal": total, "depositos": depots})
    return json_response({"data": rows})


@blueprint.get("/estoques/saldos")
@locked
def stock_balances():
    return _balances([deposit["id"] for deposit in DEPOSITS])


@blueprint.get("/estoques/saldos/<int:deposit_id>")
@locked
def stock_balances_in(deposit_id: int):
    if deposit_id not in {deposit["id"] for deposit in DEPOSITS}:
        return not_found()
    return _balances([deposit_id])


def _movement_problems(body: dict) -> list[dict]:
    sandbox, problems = state(), []
    if ref_id(body, "produto") not in sandbox.products:
        problems.append(field(3, "Produto não encontrado.", "produto", "ESTOQUES"))
    if ref_id(body, "deposito") not in {deposit["id"] for deposit in DEPOSITS}:
        problems.append(field(4, "Depósito não encontrado.", "deposito", "ESTOQUES"))
    if body.get("operacao") not in ("B", "E", "S"):
        problems.append(field(5, "Operação inválida: use B, E ou S.", "operacao", "ESTOQUES"))
    quantity = number(body.get("quantidade"))
    if quantity is None or quantity < 0:
        problems.append(field(6, "A quantidade deve ser um número maior ou igual a zero.",
                              "quantidade", "ESTOQUES"))
    return problems


@blueprint.post("/estoques")
@locked
def post_stock():
    body = json_body()
    problems = _movement_problems(body)
    if problems:
        return validation("Não foi possível salvar o lançamento de estoque",
                          "O lançamento não pode ser salvo, pois ocorreram problemas em sua "
                          "validação.", problems)
    sandbox = state()
    product_id, deposit_id = body["produto"]["id"], body["deposito"]["id"]
    quantity, current = number(body["quantidade"]), sandbox.stock[product_id][deposit_id]
    balance = {"B": quantity, "E": current + quantity, "S": current - quantity}[body["operacao"]]
    sandbox.stock[product_id][deposit_id] = balance
    sandbox.products[product_id]["_changed"] = sandbox.now()
    return json_response({"data": {"id": sandbox.new_id("movement")}}, 201)


@blueprint.get("/empresas/me/dados-basicos")
def company():
    return json_response({"data": COMPANY})
