"""Omie polling triggers (the shared dedupe helper keeps only unseen items)."""
from __future__ import annotations

from datetime import datetime

from ..sdk import fields as f
from ..sdk import records
from ..sdk.context import Context
from ..sdk.polling import content_key
from ..sdk.samples import load_sample
from ..sdk.spec import Trigger
from .mappers import to_order, to_product

NO_INPUT = f.document({}, title="No input")


def fetch_new_orders(ctx: Context, _inputs: dict, since: datetime) -> list[dict]:
    client = ctx.client
    params = {"filtrar_apenas_inclusao": "S", **client.changed_filter(since, ctx.clock())}
    found = []
    for _, rows in client.pages("produtos/pedido", "ListarPedidos", params, "pedido_venda_produto"):
        clients = client.customers({row["cabecalho"]["codigo_cliente"] for row in rows})
        found.extend(to_order(row, clients) for row in rows)
    return found


def fetch_updated_products(ctx: Context, _inputs: dict, since: datetime) -> list[dict]:
    client = ctx.client
    params = client.changed_filter(since, ctx.clock())
    return [to_product(row) for _, rows in client.pages(
        "geral/produtos", "ListarProdutos", params, "produto_servico_cadastro") for row in rows]


TRIGGERS = (
    Trigger(key="new_order", label="Novo pedido de venda",
            description="Fires once for every sales order included in Omie.",
            input_schema=NO_INPUT, output_schema=records.ORDER,
            sample=load_sample(__package__, "new_order"), fetch=fetch_new_orders,
            dedupe_key=lambda order: order["external_id"]),
    Trigger(key="updated_product", label="Produto alterado",
            description="Fires when a product is included or changed in Omie.",
            input_schema=NO_INPUT, output_schema=records.PRODUCT,
            sample=load_sample(__package__, "updated_product"), fetch=fetch_updated_products,
            dedupe_key=content_key),
)
