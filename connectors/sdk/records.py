"""The shapes every connector hands to the platform, whatever the ERP: products, orders,
stock levels and invoices. Mappers (`<erp>/mappers.py`, `to_product()`, `to_order()`...) turn
raw ERP shapes into these; the platform upserts them through its services.

Money and quantities are decimal strings; ERP ids are strings; timestamps ISO 8601 UTC.
"""
from __future__ import annotations

from . import fields as f

ORDER_STATUSES = ("pending", "paid", "invoiced", "shipped", "delivered", "cancelled")
_money = f.decimal("Amount (BRL)")
_maybe_text = f.nullable(f.text())

PRODUCT = f.document({
    "external_id": f.erp_id("ERP id"),
    "sku": f.nullable(f.text("SKU")),
    "name": f.text("Name"),
    "description": _maybe_text,
    "price": f.decimal("Price (BRL)"),
    "cost": f.nullable(f.decimal("Cost (BRL)")),
    "gtin": f.nullable(f.text("GTIN / EAN", pattern=r"^(\d{8}|\d{12,14})$")),
    "ncm": f.nullable(f.text("NCM (8 digits)", pattern=r"^\d{8}$")),
    "brand": _maybe_text,
    "unit": _maybe_text,
    "active": f.boolean("Active in the ERP"),
    "stock": f.nullable(f.decimal("Stock on hand, when the listing carries it")),
    "updated_at": f.nullable(f.timestamp("Last change in the ERP, when the ERP says")),
}, ["external_id", "sku", "name", "price", "active"], title="Product")

CUSTOMER = f.obj({
    "external_id": f.nullable(f.erp_id("ERP id")),
    "name": _maybe_text,
    "document": f.nullable(f.text("CPF or CNPJ, digits only", pattern=r"^[0-9A-Z]{11,14}$")),
    "document_type": f.nullable(f.text(enum=["cpf", "cnpj"])),
    "email": _maybe_text,
}, ["external_id", "name", "document", "document_type"], title="Customer")

ORDER_ITEM = f.obj({
    "product_external_id": f.nullable(f.erp_id()),
    "sku": _maybe_text,
    "name": f.text(),
    "quantity": f.decimal("Quantity"),
    "unit_price": _money,
    "total": _money,
}, ["product_external_id", "sku", "name", "quantity", "unit_price", "total"], title="Order item")

INVOICE = f.obj({
    "external_id": f.nullable(f.erp_id("ERP id of the invoice (NF-e)")),
    "number": _maybe_text,
    "series": _maybe_text,
    "access_key": f.nullable(f.text("NF-e access key (44 digits)", pattern=r"^\d{44}$")),
    "status": f.text("pending (queued at the ERP) or authorized", enum=["pending", "authorized"]),
}, ["external_id", "number", "access_key", "status"], title="Invoice")

ORDER = f.document({
    "external_id": f.erp_id("ERP id"),
    "number": f.text("Order number in the ERP"),
    "channel_number": _maybe_text,
    "status": f.text("Status in MarketHub terms", enum=list(ORDER_STATUSES)),
    "erp_status": f.text("The ERP's own status, as it names it"),
    "ordered_on": f.nullable(f.day()),
    "updated_at": f.nullable(f.timestamp()),
    "customer": CUSTOMER,
    "items": f.array(ORDER_ITEM),
    "items_total": _money,
    "shipping_total": _money,
    "discount_total": _money,
    "total": _money,
    "invoice": f.nullable(INVOICE),
}, ["external_id", "number", "status", "erp_status", "customer", "items", "items_total",
    "shipping_total", "discount_total", "total"], title="Order")

STOCK_LEVEL = f.document({
    "product_external_id": f.erp_id("ERP id of the product"),
    "sku": _maybe_text,
    "quantity": f.decimal("Stock on hand after the change"),
    "deposit": _maybe_text,
    "movement_id": f.nullable(f.erp_id("ERP id of the stock movement")),
}, ["product_external_id", "quantity"], title="Stock level")
