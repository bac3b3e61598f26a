"""Tiny pulls: products (full search, then `lista.atualizacoes.produtos` for changes) and
orders (search by `dataAtualizacao`, then one `pedido.obter` each for the items)."""
from __future__ import annotations

from collections.abc import Iterator

from ..sdk import records
from ..sdk.context import Context
from ..sdk.errors import RejectedError
from ..sdk.paging import item_error, map_rows
from ..sdk.samples import load_sample
from ..sdk.spec import Page, Sync, SyncRequest
from .client import EVERYTHING_SINCE
from .mappers import to_order, to_product


def _start(request: SyncRequest) -> int:
    return int((request.resume or {}).get("page", 0)) + 1


def sync_products(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    client = ctx.client
    if request.since is None:
        operation, params = "produtos.pesquisa.php", {"pesquisa": ""}
    else:
        operation = "lista.atualizacoes.produtos"
        params = {"dataAlteracao": client.local_datetime(request.since)}
    for page, rows in client.pages(operation, params, "produtos", _start(request)):
        yield map_rows([row["produto"] for row in rows], to_product, lambda raw: raw["id"],
                       {"page": page})


def sync_orders(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    client = ctx.client
    params = {"dataInicial": EVERYTHING_SINCE} if request.since is None else \
        {"dataAtualizacao": client.local_datetime(request.since)}
    for page, rows in client.pages("pedidos.pesquisa.php", params, "pedidos", _start(request)):
        details, lost = [], []
        for row in rows:
            order_id = row["pedido"]["id"]
            try:
                details.append(client.call("pedido.obter.php", {"id": str(order_id)})["pedido"])
            except RejectedError as error:  # deleted between the search and the read
                lost.append(item_error(str(order_id), error))
        mapped = map_rows(details, to_order, lambda raw: raw["id"], {"page": page})
        yield Page(records=mapped.records, errors=lost + mapped.errors, resume=mapped.resume)


SYNCS = (
    Sync(key="sync_products", label="Sincronizar produtos",
         description="Reads products changed in Tiny since the last sync (all of them the "
                     "first time), page by page.",
         entity="product", record_schema=records.PRODUCT,
         sample=load_sample(__package__, "sync_products"), run=sync_products),
    Sync(key="sync_orders", label="Sincronizar pedidos",
         description="Reads orders changed in Tiny since the last sync, each with its items "
                     "and customer.",
         entity="order", record_schema=records.ORDER,
         sample=load_sample(__package__, "sync_orders"), run=sync_orders),
)
