"""Omie pulls: products and sales orders included or changed since the checkpoint."""
from __future__ import annotations

import functools
from collections.abc import Iterator

from ..sdk import records
from ..sdk.context import Context
from ..sdk.paging import map_rows
from ..sdk.samples import load_sample
from ..sdk.spec import Page, Sync, SyncRequest
from .mappers import to_order, to_product


def _start(request: SyncRequest) -> int:
    return int((request.resume or {}).get("page", 0)) + 1


def sync_products(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    client = ctx.client
    params = {"apenas_importado_api": "N", "filtrar_apenas_omiepdv": "N",
              **client.changed_filter(request.since, request.until)}
    for page, rows in client.pages("geral/produtos", "ListarProdutos", params,
                                   "produto_servico_cadastro", _start(request)):
        yield map_rows(rows, to_product, lambda row: row["codigo_produto"], {"page": page})


def sync_orders(ctx: Context, request: SyncRequest) -> Iterator[Page]:
    """Orders come complete (items, totals); their customers are read once per page."""
    client = ctx.client
    params = {"apenas_importado_api": "N", **client.changed_filter(request.since, request.until)}
    for page, rows in client.pages("produtos/pedido", "ListarPedidos", params,
                                   "pedido_venda_produto", _start(request)):
        clients = client.customers({row["cabecalho"]["codigo_cliente"] for row in rows})
        yield map_rows(rows, functools.partial(to_order, clients=clients),
                       lambda raw: raw["cabecalho"]["codigo_pedido"], {"page": page})


SYNCS = (
    Sync(key="sync_products", label="Sincronizar produtos",
         description="Reads products included or changed in Omie since the last sync (all of "
                     "them the first time), page by page.",
         entity="product", record_schema=records.PRODUCT,
         sample=load_sample(__package__, "sync_products"), run=sync_products),
    Sync(key="sync_orders", label="Sincronizar pedidos",
         description="Reads sales orders included or changed in Omie since the last sync, with "
                     "items, totals and the customer's CPF/CNPJ.",
         entity="order", record_schema=records.ORDER,
         sample=load_sample(__package__, "sync_orders"), run=sync_orders),
)
