"""Stock changes: row-locked so concurrent writers never lose an update; never negative."""
from __future__ import annotations

from sqlalchemy import select

from ..api.inventory.schemas import InventorySchema
from ..auth.principal import Principal
from ..db import utcnow, write_transaction
from ..errors import ConflictError, NotFoundError
from ..models import InventoryItem, Product
from . import outbox


MAX_QUANTITY = 1_000_000_000  # as the API accepts; the column is a 32-bit integer


def represent(item: InventoryItem) -> dict:
    return InventorySchema().dump(item)


def update_stock(principal: Principal, product_id: str, changes: dict) -> InventoryItem:
    with write_transaction() as session:
        item = session.execute(
            select(InventoryItem).join(Product)
            .where(InventoryItem.tenant_id == principal.tenant_id,
                   InventoryItem.product_id == product_id, Product.deleted_at.is_(None))
            .with_for_update(of=InventoryItem)
        ).unique().scalar_one_or_none()
        if item is None:
            raise NotFoundError("product", product_id)
        was_low = item.is_low
        before = (item.quantity, item.low_stock_threshold)
        item.quantity = _new_quantity(item, changes)
        item.low_stock_threshold = changes.get("low_stock_threshold", item.low_stock_threshold)
        if (item.quantity, item.low_stock_threshold) == before:
            return item
        item.updated_at = utcnow()
        data = {**represent(item), "previous_quantity": before[0]}
        outbox.emit(session, principal, "inventory.updated", data)
        if item.is_low and not was_low:  # once per crossing, not on every change while low
            outbox.emit(session, principal, "inventory.low_stock_alert", data)
            outbox.emit(session, principal, "product.stock_low",
                        {**_product(item), "inventory": {"quantity": item.quantity,
                         "low_stock_threshold": item.low_stock_threshold}})
    return item


def _new_quantity(item: InventoryItem, changes: dict) -> int:
    """The quantity after `changes`, which may not take it below zero or above MAX_QUANTITY."""
    quantity = changes.get("quantity", item.quantity + changes.get("adjustment", 0))
    situation = f"{item.quantity} in stock, adjustment {changes.get('adjustment')}."
    if quantity < 0:
        raise ConflictError(f"Stock cannot go below zero: {situation}", code="insufficient_stock",
                            fields={"adjustment": ["Would make the quantity negative."]})
    if quantity > MAX_QUANTITY:
        raise ConflictError(f"Stock cannot exceed {MAX_QUANTITY:,}: {situation}",
                            code="stock_limit_exceeded",
                            fields={"adjustment": ["Would make the quantity too large."]})
    return quantity


def _product(item: InventoryItem) -> dict:
    from .products import represent as represent_product

    return represent_product(item.product)


def list_statement(principal: Principal, args: dict):
    statement = (select(InventoryItem).join(Product)
                 .where(InventoryItem.tenant_id == principal.tenant_id,
                        Product.deleted_at.is_(None)))
    if "sku" in args:
        statement = statement.where(Product.sku == args["sku"])
    if args.get("low_stock") is True:
        statement = statement.where(InventoryItem.quantity <= InventoryItem.low_stock_threshold)
    elif args.get("low_stock") is False:
        statement = statement.where(InventoryItem.quantity > InventoryItem.low_stock_threshold)
    if "updated_since" in args:
        statement = statement.where(InventoryItem.updated_at >= args["updated_since"])
    return statement
