"""Bling pulls: products and sales orders changed since the checkpoint, paged to the end."""
from __future__ import annotations

from collections.abc import Iterator

from ..sdk import records
from ..sdk.context import Context
from ..sdk.errors import RejectedError
from ..sdk.paging import item_error, map_rows
from ..sdk.samples import load_sample
from ..sdk.spec import Page, Sync, SyncRequest
from .mappers import to_order, to_product

ALL_PRODUCTS = 5  # criterio: active and inactive (an inactivation must reach us too)


def _start(request: SyncRequest) -> int:
    return int((request.resume or {}).get("page", 0)) + 1


def sync_products(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    client = ctx.client
    params = {"criterio": ALL_PRODUCTS, **client.changed_filter(request.since, request.until)}
    for page, rows in client.pages("produtos", params, _start(request)):
        yield map_rows(rows, to_product, lambda row: row["id"], {"page": page})


def sync_orders(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    """The list carries no items, so each listed order is read in full (one request each)."""
    client = ctx.client
    status_map = {int(k): v for k, v in ctx.config.get("order_status_map", {}).items()}
    params = client.changed_filter(request.since, request.until)
    for page, rows in client.pages("pedidos/vendas", params, _start(request)):
        details, lost = [], []
        for row in rows:
            try:
                details.append(client.call("GET", f"pedidos/vendas/{row['id']}")["data"])
            except RejectedError as error:  # deleted between the list and the read
                lost.append(item_error(str(row["id"]), error))
        mapped = map_rows(details, lambda raw: to_order(raw, status_map),
                          lambda raw: raw["id"], {"page": page})
        yield Page(records=mapped.records, errors=lost + mapped.errors, resume=mapped.resume)


SYNCS = (
    Sync(key="sync_products", label="Sincronizar produtos",
         description="Reads products changed in Bling since the last sync (all of them the "
                     "first time), with price and stock, page by page.",
         entity="product", record_schema=records.PRODUCT,
         sample=load_sample(__package__, "sync_products"), run=sync_products),
    Sync(key="sync_orders", label="Sincronizar pedidos",
         description="Reads sales orders changed in Bling since the last sync, each with its "
                     "items, customer and totals.",
         entity="order", record_schema=records.ORDER,
         sample=load_sample(__package__, "sync_orders"), run=sync_orders),
)
