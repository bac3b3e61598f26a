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


_REPRESENTATION = InventorySchema()  # one instance: its dump plan is worked out once


def represent(item: InventoryItem) -> dict:
    return _REPRESENTATION.dump(item)


def _locked_items(session, principal: Principal, product_ids) -> list[InventoryItem]:
    return session.execute(
        select(InventoryItem).join(Product)
        .where(InventoryItem.tenant_id == principal.tenant_id,
               InventoryItem.product_id.in_(product_ids), Product.deleted_at.is_(None))
        .with_for_update(of=InventoryItem)
    ).unique().scalars().all()


def update_stock(principal: Principal, product_id: str, changes: dict) -> InventoryItem:
    with write_transaction(keep_loaded=True) as session:
        items = _locked_items(session, principal, [product_id])
        if not items:
            raise NotFoundError("product", product_id)
        outbox.emit_many(session, principal, _change(items[0], changes))
    return items[0]


def set_quantities(principal: Principal, quantities: dict[str, int],
                   ) -> dict[str, InventoryItem | ConflictError | NotFoundError]:
    """Absolute quantities for many products in one transaction (an ERP import), each change
    with the events update_stock emits; a refused one (not found, out of range) fails alone."""
    with write_transaction() as session:
        items = {item.product_id: item
                 for item in _locked_items(session, principal, list(quantities))}
        answers, events = {}, []
        for product_id, quantity in quantities.items():
            item = items.get(product_id)
            try:
                if item is None:
                    raise NotFoundError("product", product_id)
                events += _change(item, {"quantity": quantity})
                answers[product_id] = item
            except (ConflictError, NotFoundError) as error:
                answers[product_id] = error
        outbox.emit_many(session, principal, events)
    return answers


def _change(item: InventoryItem, changes: dict) -> list[tuple[str, dict]]:
    """Apply `changes` to a locked item; the events to emit (none when nothing changed)."""
    was_low = item.is_low
    before = (item.quantity, item.low_stock_threshold)
    quantity = _new_quantity(item, changes)  # raises before anything changes
    item.quantity = quantity
    item.low_stock_threshold = changes.get("low_stock_threshold", item.low_stock_threshold)
    if (item.quantity, item.low_stock_threshold) == before:
        return []
    item.updated_at = utcnow()
    data = {**represent(item), "previous_quantity": before[0]}
    events = [("inventory.updated", data)]
    if item.is_low and not was_low:  # once per crossing, not on every change while low
        events += [("inventory.low_stock_alert", data),
                   ("product.stock_low", {**_product(item), "inventory": {
                       "quantity": item.quantity,
                       "low_stock_threshold": item.low_stock_threshold}})]
    return events


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
