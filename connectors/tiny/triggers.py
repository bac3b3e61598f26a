"""Tiny polling triggers (the shared dedupe helper keeps only unseen items)."""
from __future__ import annotations

from datetime import datetime

from ..sdk import fields as f
from ..sdk import records
from ..sdk.context import Context
from ..sdk.polling import content_key
from ..sdk.samples import load_sample
from ..sdk.spec import Trigger
from ..sdk.values import to_erp_local
from .mappers import to_order, to_product

NO_INPUT = f.document({}, title="No input")


def fetch_new_orders(ctx: Context, _inputs: dict, since: datetime) -> list[dict]:
    """Orders dated since the cursor's day (the search filters creation by date only) and
    updated since the cursor, so a poll reads only what moved."""
    client = ctx.client
    params = {"dataInicial": to_erp_local(since).strftime("%d/%m/%Y"),
              "dataAtualizacao": client.local_datetime(since)}
    return [to_order(client.call("pedido.obter.php", {"id": str(row["pedido"]["id"])})["pedido"])
            for _, rows in client.pages("pedidos.pesquisa.php", params, "pedidos")
            for row in rows]


def fetch_updated_products(ctx: Context, _inputs: dict, since: datetime) -> list[dict]:
    client = ctx.client
    params = {"dataAlteracao": client.local_datetime(since)}
    return [to_product(row["produto"]) for _, rows in client.pages(
        "lista.atualizacoes.produtos", params, "produtos") for row in rows]


TRIGGERS = (
    Trigger(key="new_order", label="Novo pedido",
            description="Fires once for every new order in Tiny.",
            input_schema=NO_INPUT, output_schema=records.ORDER,
            sample=load_sample(__package__, "new_order"), fetch=fetch_new_orders,
            dedupe_key=lambda order: order["external_id"]),
    Trigger(key="updated_product", label="Produto alterado",
            description="Fires when a product changes in Tiny.",
            input_schema=NO_INPUT, output_schema=records.PRODUCT,
            sample=load_sample(__package__, "updated_product"), fetch=fetch_updated_products,
            dedupe_key=content_key),
)
