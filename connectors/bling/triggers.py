"""Bling polling triggers (the shared dedupe helper keeps only unseen items)."""
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
    """Orders dated since the cursor's day (Bling filters creation by date only) and changed
    since the cursor — so each poll reads only what moved; the dedupe helper drops the ones
    already seen."""
    client = ctx.client
    params = {"dataInicial": to_erp_local(since).date().isoformat(),
              **client.changed_filter(since, ctx.clock())}
    status_map = {int(k): v for k, v in ctx.config.get("order_status_map", {}).items()}
    found = []
    for _, rows in client.pages("pedidos/vendas", params):
        for row in rows:
            found.append(to_order(client.call("GET", f"pedidos/vendas/{row['id']}")["data"],
                                  status_map))
    return found


def fetch_updated_products(ctx: Context, _inputs: dict, since: datetime) -> list[dict]:
    client = ctx.client
    params = {"criterio": 5, **client.changed_filter(since, ctx.clock())}
    return [to_product(row) for _, rows in client.pages("produtos", params) for row in rows]


TRIGGERS = (
    Trigger(key="new_order", label="Novo pedido de venda",
            description="Fires once for every new sales order in Bling.",
            input_schema=NO_INPUT, output_schema=records.ORDER,
            sample=load_sample(__package__, "new_order"), fetch=fetch_new_orders,
            dedupe_key=lambda order: order["external_id"]),
    Trigger(key="updated_product", label="Produto alterado",
            description="Fires when a product's name, price, status or stock changes in Bling.",
            input_schema=NO_INPUT, output_schema=records.PRODUCT,
            sample=load_sample(__package__, "updated_product"), fetch=fetch_updated_products,
            dedupe_key=content_key),
)
