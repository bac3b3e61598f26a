"""Bling's wire shapes (OpenAPI spec DTOs) and error envelopes, built from the sandbox state.
Internal keys start with "_" and never leave the sandbox."""
from __future__ import annotations

from decimal import Decimal

from ...sandbox_kit.app import json_response
from .state import STATUSES, BlingState

_STATUS = {status_id: (name, value) for status_id, name, value in STATUSES}


def error(status: int, type_: str, message: str, description: str,
          fields: list | None = None, **extra):
    body = {"type": type_, "message": message, "description": description}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return json_response({"error": body}, status)


def not_found():
    return error(404, "RESOURCE_NOT_FOUND", "Recurso não encontrado",
                 "O recurso requisitado não foi encontrado.")


def validation(message: str, description: str, fields: list[dict]):
    return error(400, "VALIDATION_ERROR", message, description, fields)


def field(code: int, msg: str, element: str, namespace: str, **extra) -> dict:
    return {"code": code, "msg": msg, "element": element, "namespace": namespace, **extra}


def too_many_requests(period: str, limit: int):
    # Body as documented on developer.bling.com.br/limites (the day variant by analogy).
    unit = {"second": "segundo", "day": "dia"}[period]
    return error(429, "TOO_MANY_REQUESTS", "Limite de requisições atingido.",
                 f"O limite de requisições por {unit} foi atingido, tente novamente mais tarde.",
                 limit=limit, period=period)


def product_summary(state: BlingState, product: dict) -> dict:
    return {"id": product["id"], "nome": product["nome"], "codigo": product["codigo"],
            "preco": product["preco"], "precoCusto": product["precoCusto"],
            "estoque": {"saldoVirtualTotal": state.balance(product["id"])},
            "tipo": product["tipo"], "situacao": product["situacao"],
            "formato": product["formato"], "descricaoCurta": product["descricaoCurta"],
            "imagemURL": ""}


def product_detail(state: BlingState, product: dict) -> dict:
    detail = {key: value for key, value in product.items() if not key.startswith("_")}
    detail.pop("precoCusto", None)
    detail.update({
        "volumes": 1, "itensPorCaixa": 1, "tipoProducao": "P", "condicao": 0,
        "freteGratis": False, "descricaoComplementar": "", "linkExterno": "", "observacoes": "",
        "estoque": {"minimo": 0, "maximo": 0, "crossdocking": 0, "localizacao": "",
                    "saldoVirtualTotal": state.balance(product["id"])},
        "dimensoes": {"largura": 0, "altura": 0, "profundidade": 0, "unidadeMedida": 1},
    })
    return detail


def contact_summary(contact_id: int, contact: dict) -> dict:
    return {"id": contact_id, "nome": contact["nome"], "codigo": contact["codigo"],
            "situacao": contact["situacao"], "numeroDocumento": contact["numeroDocumento"],
            "telefone": contact["telefone"], "celular": contact["celular"]}


def order_totals(order: dict) -> tuple[Decimal, Decimal]:
    products = sum((item["quantidade"] * item["valor"] for item in order["itens"]), Decimal(0))
    total = products + order["frete"] + order["outrasDespesas"] - order["desconto"]
    return products, total


def order_summary(state: BlingState, order: dict) -> dict:
    contact = state.contacts[order["contato"]["id"]]
    products, total = order_totals(order)
    status_id = order["situacao"]["id"]
    return {"id": order["id"], "numero": order["numero"], "numeroLoja": order["numeroLoja"],
            "data": order["data"], "dataSaida": order["dataSaida"],
            "dataPrevista": order["dataPrevista"], "totalProdutos": products, "total": total,
            "contato": {"id": order["contato"]["id"], "nome": contact["nome"],
                        "tipoPessoa": contact["tipo"],
                        "numeroDocumento": contact["numeroDocumento"]},
            "situacao": {"id": status_id, "valor": _STATUS[status_id][1]},
            "loja": {"id": order["loja"]["id"]}}


def order_detail(state: BlingState, order: dict) -> dict:
    detail = order_summary(state, order)
    detail.update({
        "numeroPedidoCompra": "", "outrasDespesas": order["outrasDespesas"],
        "observacoes": order["observacoes"], "observacoesInternas": "",
        "desconto": {"valor": order["desconto"], "unidade": "REAL"},
        "categoria": {"id": 0},
        "tributacao": {"totalICMS": 0, "totalIPI": 0},
        "itens": [{**item, "aliquotaIPI": 0, "descricaoDetalhada": "",
                   "comissao": {"base": 0, "aliquota": 0, "valor": 0}} for item in order["itens"]],
        "parcelas": order["parcelas"],
        "transporte": {"fretePorConta": 0, "frete": order["frete"], "quantidadeVolumes": 1,
                       "pesoBruto": 0, "prazoEntrega": 0, "volumes": []},
    })
    if order["notaFiscal"]:
        detail["notaFiscal"] = {"id": order["notaFiscal"]}
    return detail
