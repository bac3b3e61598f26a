"""Tiny API v2 operations: one `<name>.php` (or newer, suffix-less) endpoint per operation.
Handlers take (state, params) and return the `retorno` payload, or raise TinyError."""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from .state import ACCOUNT, DEPOSITS, STATUSES, TinyState, dec, tiny_date, tiny_datetime

ENDPOINTS: dict[str, Callable] = {}
PAGE = 100  # fixed by Tiny
LABELS = dict(STATUSES)


class TinyError(Exception):
    def __init__(self, code: int, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def endpoint(*names: str):
    def register(handler):
        for name in names:
            ENDPOINTS[name] = handler
        return handler
    return register


def _page(rows: list, params: dict, key: str) -> dict:
    try:
        page = max(int(params.get("pagina") or 1), 1)
    except ValueError:
        raise TinyError(31, "O parâmetro pagina deve ser numérico.", "pagina") from None
    if not rows:
        raise TinyError(20, "A consulta não retornou registros")
    pages = math.ceil(len(rows) / PAGE)
    if page > pages:
        raise TinyError(23, "A página que você está tentando obter não existe")
    return {"pagina": str(page), "numero_paginas": str(pages),
            key: rows[(page - 1) * PAGE: page * PAGE]}


def _moment(params: dict, name: str, with_time: bool) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    for fmt in (("%d/%m/%Y %H:%M:%S", "%d/%m/%Y") if with_time else ("%d/%m/%Y",)):
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise TinyError(31, f"Data inválida no parâmetro {name}: use dd/mm/aaaa"
                        f"{' hh:mm:ss' if with_time else ''}.", name)


def product_row(product: dict) -> dict:
    return {"produto": {"id": product["id"], "codigo": product["codigo"], "nome": product["nome"],
                        "preco": dec(product["preco"]),
                        "preco_promocional": dec(product["preco_promocional"]),
                        "preco_custo": dec(product["preco_custo"]),
                        "preco_custo_medio": dec(product["preco_custo_medio"]),
                        "unidade": product["unidade"], "gtin": product["gtin"],
                        "tipoVariacao": product["tipoVariacao"],
                        "localizacao": product["localizacao"],
                        "situacao": product["situacao"],
                        "data_criacao": tiny_datetime(product["created"])}}


@endpoint("produtos.pesquisa.php")
def search_products(state: TinyState, params: dict) -> dict:
    text = params.get("pesquisa", "").lower()
    wanted = params.get("situacao")
    rows = [product_row(p) for _, p in sorted(state.products.items())
            if (text in p["nome"].lower() or text in p["codigo"].lower())
            and (not wanted or p["situacao"] == wanted)
            and (not params.get("gtin") or p["gtin"] == params["gtin"])]
    return _page(rows, params, "produtos")


@endpoint("lista.atualizacoes.produtos", "lista.atualizacoes.produtos.php")
def changed_products(state: TinyState, params: dict) -> dict:
    since = _moment(params, "dataAlteracao", with_time=True)
    if since is None:
        raise TinyError(10, "Parâmetro dataAlteracao não informado", "dataAlteracao")
    rows = [{"produto": {**product_row(p)["produto"],
                         "data_alteracao": tiny_datetime(p["changed"])}}
            for _, p in sorted(state.products.items()) if p["changed"] >= since]
    return _page(rows, params, "produtos")


def _product(state: TinyState, params: dict) -> dict:
    try:
        product = state.products.get(int(params.get("id") or 0))
    except ValueError:
        product = None
    if product is None:
        raise TinyError(32, "Produto não localizado")
    return product


@endpoint("produto.obter.php")
def get_product(state: TinyState, params: dict) -> dict:
    product = _product(state, params)
    detail = {key: value for key, value in product.items() if key not in ("created", "changed")}
    for key in ("preco", "preco_promocional", "preco_custo", "preco_custo_medio"):
        detail[key] = dec(product[key])
    for key in ("peso_liquido", "peso_bruto"):
        detail[key] = dec(product[key], 3)
    return {"produto": detail}


def stock_answer(state: TinyState, product: dict) -> dict:
    stock = state.stock[product["id"]]
    return {"produto": {"id": product["id"], "nome": product["nome"], "codigo": product["codigo"],
                        "unidade": product["unidade"],
                        "saldo": dec(sum(stock.values(), Decimal(0))),
                        "saldoReservado": "0.00",
                        "depositos": [{"deposito": {"nome": name, "desconsiderar": "N",
                                                    "saldo": dec(amount),
                                                    "empresa": ACCOUNT["fantasia"]}}
                                      for name, amount in stock.items()]}}


@endpoint("produto.obter.estoque.php")
def get_stock(state: TinyState, params: dict) -> dict:
    return stock_answer(state, _product(state, params))


def _entity(params: dict, name: str) -> dict:
    try:
        payload = json.loads(params.get(name) or "", parse_float=Decimal)
    except ValueError:
        raise TinyError(3, f"O parâmetro {name} não contém um JSON válido.", name) from None
    if isinstance(payload, dict) and isinstance(payload.get(name), dict):
        payload = payload[name]  # most clients wrap it: {"estoque": {...}}
    if not isinstance(payload, dict):
        raise TinyError(3, f"O parâmetro {name} não contém um JSON válido.", name)
    return payload


@endpoint("produto.atualizar.estoque.php")
def update_stock(state: TinyState, params: dict) -> dict:
    movement = _entity(params, "estoque")
    product = _product(state, {"id": movement.get("idProduto")})
    kind, deposit = movement.get("tipo", "B"), movement.get("deposito") or DEPOSITS[0]
    try:
        amount = Decimal(str(movement.get("quantidade")))
    except ArithmeticError:
        raise TinyError(31, "A quantidade informada é inválida.", "quantidade") from None
    if kind not in ("B", "E", "S") or amount < 0:
        raise TinyError(31, "Tipo de lançamento inválido: use B, E ou S.", "tipo")
    if deposit not in DEPOSITS:
        raise TinyError(31, f"Depósito '{deposit}' não encontrado.", "deposito")
    stock = state.stock[product["id"]]
    current = stock[deposit]
    stock[deposit] = {"B": amount, "E": current + amount, "S": current - amount}[kind]
    product["changed"] = state.now()
    registro = {"sequencia": "1", "status": "OK", "id": str(product["id"])}
    return {"registros": [{"registro": registro}]}


def _order_total(order: dict) -> tuple[Decimal, Decimal]:
    goods = sum((i["quantidade"] * i["valor_unitario"] for i in order["itens"]), Decimal(0))
    return goods, goods + order["valor_frete"] - order["valor_desconto"]


@endpoint("pedidos.pesquisa.php")
def search_orders(state: TinyState, params: dict) -> dict:
    filters = ("numero", "cliente", "cpf_cnpj", "dataInicial", "dataFinal", "dataAtualizacao",
               "situacao", "numeroEcommerce")
    if not any(params.get(name) for name in filters):
        raise TinyError(10, "Informe ao menos um filtro para a pesquisa de pedidos")
    start, end = _moment(params, "dataInicial", False), _moment(params, "dataFinal", False)
    changed = _moment(params, "dataAtualizacao", with_time=True)
    rows = []
    for order_id, order in sorted(state.orders.items()):
        day = datetime.combine(order["data_pedido"], datetime.min.time())
        if (start and day < start) or (end and day > end):
            continue
        if changed and order["changed"] < changed:
            continue
        if params.get("situacao") and params["situacao"] != order["situacao"]:
            continue
        rows.append({"pedido": {"id": str(order_id), "numero": order["numero"],
                                "numero_ecommerce": order["numero_ecommerce"],
                                "data_pedido": tiny_date(order["data_pedido"]),
                                "data_prevista": tiny_date(order["data_pedido"]),
                                "nome": order["cliente"]["nome"], "valor": _order_total(order)[1],
                                "situacao": LABELS[order["situacao"]], "codigo_rastreamento": "",
                                "url_rastreamento": ""}})
    return _page(rows, params, "pedidos")


@endpoint("pedido.obter.php")
def get_order(state: TinyState, params: dict) -> dict:
    try:
        order_id = int(params.get("id") or 0)
    except ValueError:
        order_id = 0
    order = state.orders.get(order_id)
    if order is None:
        raise TinyError(32, "Pedido não localizado")
    goods, total = _order_total(order)
    return {"pedido": {
        "id": str(order_id), "numero": order["numero"],
        "numero_ecommerce": order["numero_ecommerce"],
        "data_pedido": tiny_date(order["data_pedido"]),
        "data_prevista": tiny_date(order["data_pedido"]),
        "data_faturamento": "", "cliente": {k: v for k, v in order["cliente"].items()},
        "itens": [{"item": {"id_produto": str(i["id_produto"]), "codigo": i["codigo"],
                            "descricao": i["descricao"], "unidade": i["unidade"],
                            "quantidade": dec(i["quantidade"]),
                            "valor_unitario": dec(i["valor_unitario"])}} for i in order["itens"]],
        "parcelas": [{"parcela": {"dias": "0", "data": tiny_date(order["data_pedido"]),
                                  "valor": dec(total)}}],
        "forma_pagamento": "pix", "valor_frete": dec(order["valor_frete"]),
        "valor_desconto": dec(order["valor_desconto"]), "total_produtos": dec(goods),
        "total_pedido": dec(total), "deposito": DEPOSITS[0],
        "situacao": LABELS[order["situacao"]], "codigo_rastreamento": "", "id_nota_fiscal": "0",
        "data_alteracao": tiny_datetime(order["changed"])}}


@endpoint("pedido.alterar.situacao", "pedido.alterar.situacao.php")
def change_order_status(state: TinyState, params: dict) -> dict:
    order = state.orders.get(int(params.get("id") or 0)) if str(params.get("id", "")).isdigit() \
        else None
    if order is None:
        raise TinyError(32, "Pedido não localizado")
    if params.get("situacao") not in LABELS:
        raise TinyError(31, "Situação inválida", "situacao")
    order["situacao"], order["changed"] = params["situacao"], state.now()
    return {}


@endpoint("info.php")
def account_info(_state: TinyState, _params: dict) -> dict:
    return {"conta": ACCOUNT}
