"""Pulled orders into ours, through the customer and order services.

An order is matched by stored external id, then by (channel = the ERP, number), then — for an
order we pushed to the ERP ourselves — by the channel number we gave it (our order id). A new
order is created `pending` and then walked, one allowed transition at a time, to the ERP's
status, so every usual event fires. An ERP status behind ours is left alone (the ERP has not
caught up); one we cannot reach (ours cancelled, the ERP's delivered) is an item error.
"""
from __future__ import annotations

from collections import deque
from decimal import Decimal

from sqlalchemy import select

from ..api.customers.schemas import CustomerSchema
from ..api.orders.schemas import OrderSchema
from ..errors import AppError, ConflictError, ValidationError
from ..extensions import db
from ..models import Customer, Order, Product
from ..services import customers, orders
from . import refs
from .outcome import PageOutcome, SyncScope, checked
from .upsert_products import sku_of


def apply(scope: SyncScope, records: list[dict]) -> PageOutcome:
    outcome = PageOutcome()
    iid = scope.integration_id
    known = refs.by_external(iid, "order", [r["external_id"] for r in records])
    products = refs.by_external(iid, "product", [item["product_external_id"] for r in records
                                                 for item in r["items"]
                                                 if item["product_external_id"]])
    people = refs.by_external(iid, "customer", [r["customer"]["external_id"] for r in records
                                                if r["customer"]["external_id"]])
    order_refs, customer_refs = [], {}
    for record in records:
        external_id = record["external_id"]
        ref = known.get(external_id)
        if ref is not None and ref.fingerprint == refs.fingerprint(record):
            outcome.count("order", "unchanged")
            continue
        try:
            order_id = _apply_one(scope, record, ref, products, people, customer_refs, outcome)
        except AppError as error:
            outcome.fail("order", external_id, error)
            continue
        order_refs.append(refs.Ref(order_id, external_id, refs.fingerprint(record)))
    refs.save(scope.tenant_id, iid, "customer", customer_refs.values())
    refs.save(scope.tenant_id, iid, "order", order_refs)
    return outcome


def _apply_one(scope, record, ref, products, people, customer_refs, outcome) -> str:
    order = _find(scope, record, ref)
    if order is None:
        customer_id = _customer(scope, record["customer"], people, customer_refs, outcome)
        created = orders.create_order(scope.principal, _order_data(scope, record, customer_id,
                                                                   products))
        outcome.count("order", "created")
        _walk(scope, created["id"], "pending", record["status"])
        return created["id"]
    moved = _walk(scope, order.id, order.status, record["status"])
    outcome.count("order", "updated" if moved else "unchanged")
    return order.id


def _find(scope: SyncScope, record: dict, ref) -> Order | None:
    tenant = Order.tenant_id == scope.tenant_id
    conditions = [(Order.channel == scope.provider) & (Order.external_number == record["number"])]
    if ref is not None:
        conditions.insert(0, Order.id == ref.local_id)
    if (record.get("channel_number") or "").startswith("ord_"):
        conditions.append(Order.id == record["channel_number"])
    for condition in conditions:
        order = db.session.execute(select(Order).where(tenant, condition)).unique().scalar()
        if order is not None:
            return order
    return None


def _customer(scope, customer: dict, people, customer_refs, outcome) -> str:
    external_id = customer.get("external_id")
    if external_id and external_id in people:
        return people[external_id].local_id
    if external_id and external_id in customer_refs:
        return customer_refs[external_id].local_id
    row = None
    if customer.get("document"):
        row = db.session.execute(select(Customer).where(
            Customer.tenant_id == scope.tenant_id,
            Customer.document == customer["document"])).scalar()
    if row is None:
        name = customer.get("name") or f"Cliente {scope.provider} {external_id or ''}".strip()
        data = checked(CustomerSchema(), {"name": name[:200], "document": customer.get("document"),
                                          "email": customer.get("email")})
        row = customers.create_customer(scope.principal, data)
        outcome.count("customer", "created")
    if external_id:
        customer_refs[external_id] = refs.Ref(row.id, external_id, None)
    return row.id


def _order_data(scope: SyncScope, record: dict, customer_id: str, products) -> dict:
    items, problems = [], {}
    for index, item in enumerate(record["items"]):
        try:
            items.append({"product_id": _product_id(scope, item, products),
                          "quantity": _whole(Decimal(item["quantity"])),
                          "unit_price": item["unit_price"]})
        except ValueError as error:
            problems[f"items[{index}]"] = [str(error)]
    if problems:
        raise ValidationError("Some items of the ERP order cannot be matched: "
                              + ", ".join(sorted(problems)) + ".", code="unmatched_items",
                              fields=problems)
    return checked(OrderSchema(), {
        "customer_id": customer_id, "channel": scope.provider,
        "external_number": record["number"], "items": items,
        "shipping_total": record["shipping_total"], "discount_total": record["discount_total"],
        "metadata": {"erp_order_id": record["external_id"], "erp_status": record["erp_status"]}})


def _product_id(scope: SyncScope, item: dict, products) -> str:
    external_id = item.get("product_external_id")
    if external_id and external_id in products:
        return products[external_id].local_id
    sku = item.get("sku") or (sku_of(scope, {"sku": None, "external_id": external_id})
                               if external_id else None)
    if sku:
        found = db.session.execute(select(Product.id).where(
            Product.tenant_id == scope.tenant_id, Product.sku == sku,
            Product.deleted_at.is_(None))).scalar()
        if found:
            return found
    raise ValueError(f"No product synced for ERP product {external_id or '?'} (SKU {sku}).")


def _whole(quantity: Decimal) -> int:
    if quantity != quantity.to_integral_value() or quantity < 1:
        raise ValueError(f"Quantity {quantity} is not a whole number of units.")
    return int(quantity)


def _walk(scope: SyncScope, order_id: str, current: str, target: str) -> bool:
    """Move the order to `target` through allowed transitions; False when nothing to do."""
    if current == target or _path(target, current) is not None:
        return False  # the same, or the ERP is behind us
    path = _path(current, target)
    if path is None:
        raise ConflictError(f"The ERP says '{target}' but the order is '{current}' here, and "
                            f"an order cannot go from '{current}' to '{target}'.",
                            code="status_not_reachable")
    for status in path:
        orders.update_order(scope.principal, order_id, {"status": status})
    return True


def _path(start: str, goal: str) -> list[str] | None:
    """The shortest chain of allowed transitions from start to goal (without start)."""
    queue, seen = deque([(start, [])]), {start}
    while queue:
        status, path = queue.popleft()
        if status == goal:
            return path
        for following in sorted(orders.TRANSITIONS[status]):
            if following not in seen:
                seen.add(following)
                queue.append((following, [*path, following]))
    return None
