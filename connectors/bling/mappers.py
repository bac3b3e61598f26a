"""Bling v3 shapes (its field names) -> MarketHub records (sdk/records.py)."""
from __future__ import annotations

from decimal import Decimal

from ..sdk.documents import digits, document_type, is_gtin
from ..sdk.values import money, optional_money, quantity, to_decimal

# Default sales-order statuses of a Bling account (ids are per account; custom ones can be
# added through the connector's `order_status_map` configuration).
ORDER_STATUS = {6: "pending", 21: "pending", 15: "paid", 18: "paid", 24: "paid",
                9: "delivered", 12: "cancelled"}


def _ncm(value: str | None) -> str | None:
    number = digits(value or "")
    return number if len(number) == 8 else None


def to_product(raw: dict) -> dict:
    """From a `GET /produtos` row or a `GET /produtos/{id}` detail."""
    stock = (raw.get("estoque") or {}).get("saldoVirtualTotal")
    gtin = raw.get("gtin") or ""
    return {
        "external_id": str(raw["id"]),
        "sku": raw.get("codigo") or None,
        "name": raw["nome"],
        "description": raw.get("descricaoCurta") or None,
        "price": money(raw.get("preco") or 0),
        "cost": optional_money(raw.get("precoCusto")),
        "gtin": gtin if is_gtin(gtin) else None,
        "ncm": _ncm((raw.get("tributacao") or {}).get("ncm")),
        "brand": raw.get("marca") or None,
        "unit": raw.get("unidade") or None,
        "active": raw.get("situacao") == "A",
        "stock": None if stock is None else quantity(stock),
        "updated_at": None,  # Bling does not say when a product changed
    }


def _customer(contact: dict) -> dict:
    document = digits(contact.get("numeroDocumento") or "")
    kind = document_type(document) if document else None
    return {"external_id": str(contact["id"]) if contact.get("id") else None,
            "name": contact.get("nome") or None, "document": document if kind else None,
            "document_type": kind, "email": None}


def _item(item: dict) -> dict:
    amount, price = to_decimal(item["quantidade"]), to_decimal(item["valor"])
    product_id = (item.get("produto") or {}).get("id")
    return {"product_external_id": str(product_id) if product_id else None,
            "sku": item.get("codigo") or None, "name": item.get("descricao") or "",
            "quantity": quantity(amount), "unit_price": money(price),
            "total": money(amount * price)}


def _discount(raw: dict, products_total: Decimal) -> Decimal:
    discount = raw.get("desconto") or {}
    value = to_decimal(discount.get("valor") or 0)
    if discount.get("unidade") == "PERCENTUAL":
        return products_total * value / 100
    return value


def to_order(raw: dict, status_map: dict[int, str] | None = None) -> dict:
    """From a `GET /pedidos/vendas/{id}` detail (the list rows carry no items)."""
    statuses = {**ORDER_STATUS, **(status_map or {})}
    status_id = raw["situacao"]["id"]
    products_total = to_decimal(raw.get("totalProdutos") or 0)
    invoice_id = (raw.get("notaFiscal") or {}).get("id")
    status = statuses.get(status_id, "pending")
    if invoice_id and status in ("pending", "paid"):
        status = "invoiced"
    return {
        "external_id": str(raw["id"]),
        "number": str(raw["numero"]),
        "channel_number": raw.get("numeroLoja") or None,
        "status": status,
        "erp_status": str(status_id),
        "ordered_on": raw.get("data") or None,
        "updated_at": None,
        "customer": _customer(raw.get("contato") or {}),
        "items": [_item(item) for item in raw.get("itens") or []],
        "items_total": money(products_total),
        "shipping_total": money((raw.get("transporte") or {}).get("frete") or 0),
        "discount_total": money(_discount(raw, products_total)),
        "total": money(raw.get("total") or 0),
        "invoice": None if not invoice_id else {
            "external_id": str(invoice_id), "number": None, "series": None,
            "access_key": None, "status": "pending"},
    }


def to_stock_level(row: dict, deposit_id: int | None, movement_id: int | None = None) -> dict:
    """From a `GET /estoques/saldos` row: the balance in `deposit_id` (or the total)."""
    balance = row.get("saldoFisicoTotal")
    for deposit in row.get("depositos") or []:
        if deposit.get("id") == deposit_id:
            balance = deposit.get("saldoFisico")
    product = row["produto"]
    return {"product_external_id": str(product["id"]), "sku": product.get("codigo") or None,
            "quantity": quantity(balance or 0),
            "deposit": str(deposit_id) if deposit_id else None,
            "movement_id": str(movement_id) if movement_id else None}
