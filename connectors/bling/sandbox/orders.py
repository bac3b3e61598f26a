"""Bling v3 sales orders (`/pedidos/vendas`) and contacts (`/contatos`)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Response, request

from ...sandbox_kit.app import json_response, locked, state
from ...sdk.documents import digits, document_type
from .common import api_blueprint, date_range, int_list, json_body, number, page_of, ref_id, \
    within
from .shapes import contact_summary, field, not_found, order_detail, order_summary, \
    order_totals, validation
from .state import PAYMENT_METHODS, STATUSES

blueprint = api_blueprint("bling_orders")
STATUS_IDS = {status_id for status_id, _, _ in STATUSES}
SAVE_FAILED = ("Não foi possível salvar a venda",
               "A venda não pode ser salva, pois ocorreram problemas em sua validação.")


def _order_matches(order: dict, changed, dated) -> bool:
    args = request.args
    statuses = set(int_list("idsSituacoes[]"))
    stores = set(args.getlist("numerosLojas[]"))
    return (within(order["_changed"], *changed)
            and within(date.fromisoformat(order["data"]), *dated)
            and (not statuses or order["situacao"]["id"] in statuses)
            and (not stores or order["numeroLoja"] in stores)
            and args.get("idContato", str(order["contato"]["id"])) == str(order["contato"]["id"])
            and args.get("numero", str(order["numero"])) == str(order["numero"])
            and args.get("idLoja", str(order["loja"]["id"])) == str(order["loja"]["id"]))


@blueprint.get("/pedidos/vendas")
@locked
def list_orders():
    changed = date_range("dataAlteracaoInicial", "dataAlteracaoFinal")
    dated = [d.date() if d else None for d in date_range("dataInicial", "dataFinal", "%Y-%m-%d")]
    rows = sorted((o for o in state().orders.values() if _order_matches(o, changed, dated)),
                  key=lambda o: o["id"])
    return json_response({"data": [order_summary(state(), o) for o in page_of(rows)]})


@blueprint.get("/pedidos/vendas/<int:order_id>")
@locked
def get_order(order_id: int):
    order = state().orders.get(order_id)
    return not_found() if order is None else json_response({"data": order_detail(state(), order)})


def _item_problems(items) -> list[dict]:
    if not isinstance(items, list) or not items:
        return [field(40, "A venda deve possuir ao menos um item.", "itens", "VENDAS")]
    problems = []
    for index, item in enumerate(items):
        product_id = ref_id(item, "produto")
        if product_id is not None and product_id not in state().products:
            problems.append(field(41, f"Item {index + 1}: produto {product_id} não encontrado.",
                                  "itens", "VENDAS"))
        quantity, price = number(item.get("quantidade")), number(item.get("valor"))
        if quantity is None or quantity <= 0:
            problems.append(field(42, f"Item {index + 1}: quantidade inválida.", "itens", "VENDAS"))
        if price is None or price < 0:
            problems.append(field(43, f"Item {index + 1}: valor inválido.", "itens", "VENDAS"))
    return problems


def _instalment_problems(instalments) -> list[dict]:
    wrong = [{"index": index + 1, "code": 12, "msg": "Id da forma de pagamento inválido.",
              "element": "formaPagamento", "namespace": "VENDAS"}
             for index, part in enumerate(instalments or [])
             if ref_id(part, "formaPagamento") not in PAYMENT_METHODS]
    if not wrong:
        return []
    return [field(49, "Uma ou mais parcelas da venda possuem erros de validação", "parcelas",
                  "VENDAS", collection=wrong)]


def _order_problems(body: dict) -> list[dict]:
    problems = []
    if ref_id(body, "contato") not in state().contacts:
        problems.append(field(36, "Contato não encontrado.", "contato", "VENDAS"))
    try:
        date.fromisoformat(str(body.get("data")))
    except ValueError:
        problems.append(field(37, "Data da venda inválida.", "data", "VENDAS"))
    situacao = ref_id(body, "situacao")
    if situacao is not None and situacao not in STATUS_IDS:
        problems.append(field(38, "Situação inválida.", "situacao", "VENDAS"))
    return problems + _item_problems(body.get("itens")) + _instalment_problems(body.get("parcelas"))


def _new_items(items: list[dict]) -> list[dict]:
    sandbox, rows = state(), []
    for item in items:
        product = sandbox.products.get(ref_id(item, "produto")) or {}
        price = number(item["valor"])
        rows.append({"id": sandbox.new_id("item"),
                     "codigo": item.get("codigo") or product.get("codigo", ""),
                     "unidade": item.get("unidade") or product.get("unidade", "UN"),
                     "quantidade": number(item["quantidade"]), "desconto": Decimal(0),
                     "valor": price, "valorLista": number(item.get("valorLista")) or price,
                     "descricao": item.get("descricao") or product.get("nome", ""),
                     "produto": {"id": product["id"]} if product else {"id": 0}})
    return rows


@blueprint.post("/pedidos/vendas")
@locked
def create_order():
    body = json_body()
    problems = _order_problems(body)
    if problems:
        return validation(*SAVE_FAILED, problems)
    sandbox = state()
    order_id = sandbox.new_id("order")
    day = str(body["data"])
    discount = body.get("desconto") or {}
    order = {
        "id": order_id, "numero": body.get("numero") or max(
            (o["numero"] for o in sandbox.orders.values()), default=1000) + 1,
        "numeroLoja": body.get("numeroLoja", ""), "data": day,
        "dataSaida": body.get("dataSaida") or day, "dataPrevista": body.get("dataPrevista") or day,
        "contato": {"id": body["contato"]["id"]},
        "situacao": {"id": ref_id(body, "situacao") or 6},
        "loja": {"id": ref_id(body, "loja") or 0}, "itens": _new_items(body["itens"]),
        "desconto": number(discount.get("valor")) or Decimal(0),
        "frete": number((body.get("transporte") or {}).get("frete")) or Decimal(0),
        "outrasDespesas": number(body.get("outrasDespesas")) or Decimal(0),
        "observacoes": body.get("observacoes", ""), "notaFiscal": None, "_changed": sandbox.now()}
    _, total = order_totals(order)
    paid = sum((number(p.get("valor")) or Decimal(0) for p in body.get("parcelas") or []),
               Decimal(0))
    if body.get("parcelas") and paid != total:
        return validation(*SAVE_FAILED, [field(50, f"A soma das parcelas ({paid}) difere do "
                                                    f"total da venda ({total}).", "parcelas",
                                               "VENDAS")])
    order["parcelas"] = [{"id": sandbox.new_id("instalment"), "dataVencimento": p["dataVencimento"],
                          "valor": number(p["valor"]), "observacoes": p.get("observacoes", ""),
                          "formaPagamento": {"id": p["formaPagamento"]["id"]}}
                         for p in body.get("parcelas") or []]
    sandbox.orders[order_id] = order
    return json_response({"data": {"id": order_id, "alertas": []}}, 201)


@blueprint.patch("/pedidos/vendas/<int:order_id>/situacoes/<int:status_id>")
@locked
def change_status(order_id: int, status_id: int):
    order = state().orders.get(order_id)
    if order is None:
        return not_found()
    if status_id not in STATUS_IDS:
        return validation("Situação inválida", "A situação informada não existe.",
                          [field(38, "Situação inválida.", "idSituacao", "VENDAS")])
    order["situacao"] = {"id": status_id}
    order["_changed"] = state().now()
    return Response(status=204)


@blueprint.get("/contatos")
@locked
def list_contacts():
    wanted = digits(request.args.get("numeroDocumento", ""))
    search = request.args.get("pesquisa", "").lower()
    rows = [contact_summary(contact_id, c) for contact_id, c in sorted(state().contacts.items())
            if (not wanted or c["numeroDocumento"] == wanted)
            and (not search or search in c["nome"].lower() or search in c["numeroDocumento"])]
    return json_response({"data": page_of(rows)})


def _contact_problems(body: dict) -> list[dict]:
    problems = []
    if not body.get("nome"):
        problems.append(field(1, "O nome do contato é obrigatório.", "nome", "CONTATOS"))
    if body.get("tipo") not in ("F", "J", "E"):
        problems.append(field(2, "Tipo de pessoa inválido.", "tipo", "CONTATOS"))
    document = digits(body.get("numeroDocumento", ""))
    if document and document_type(document) is None:
        problems.append(field(3, "O CPF/CNPJ informado é inválido.", "numeroDocumento", "CONTATOS"))
    elif document and any(c["numeroDocumento"] == document for c in state().contacts.values()):
        problems.append(field(4, "O CPF/CNPJ informado já está cadastrado.", "numeroDocumento",
                              "CONTATOS"))
    return problems


@blueprint.post("/contatos")
@locked
def create_contact():
    body = json_body()
    problems = _contact_problems(body)
    if problems:
        return validation("Não foi possível salvar o contato",
                          "O contato não pode ser salvo, pois ocorreram problemas em sua "
                          "validação.",
                          problems)
    sandbox = state()
    contact_id = sandbox.new_id("contact")
    sandbox.contacts[contact_id] = {
        "nome": body["nome"], "codigo": body.get("codigo", ""),
        "situacao": body.get("situacao", "A"),
        "numeroDocumento": digits(body.get("numeroDocumento", "")),
        "telefone": body.get("telefone", ""), "celular": body.get("celular", ""),
        "tipo": body["tipo"], "email": body.get("email", ""), "endereco": body.get("endereco", {})}
    return json_response({"data": {"id": contact_id}}, 201)
