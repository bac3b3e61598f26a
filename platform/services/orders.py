"""Orders: exact totals, and a status state machine with an event per transition."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..api.orders.schemas import OrderSchema
from ..auth.principal import Principal
from ..db import column_values, utcnow, write_transaction
from ..errors import ConflictError, InvalidTransitionError, NotFoundError, ValidationError
from ..ids import new_id
from ..models import Customer, Order, OrderItem, Product
from . import outbox

TRANSITIONS = {
    "pending": {"paid", "cancelled"},
    "paid": {"invoiced", "cancelled"},
    "invoiced": {"shipped", "cancelled"},
    "shipped": {"delivered"},
    "delivered": set(),
    "cancelled": set(),
}
STATUS_EVENTS = {"shipped": "order.shipped", "delivered": "order.delivered",
                 "cancelled": "order.cancelled"}
ZERO = Decimal("0.00")
MAX_TOTAL = Decimal("999999999999.99")  # the NUMERIC(14, 2) money columns


_REPRESENTATION = OrderSchema()  # one instance: its dump plan is worked out once


def represent(order: Order) -> dict:
    return _REPRESENTATION.dump(order)


def _customer(session, principal: Principal, customer_id: str) -> Customer:
    customer = session.execute(select(Customer).where(
        Customer.tenant_id == principal.tenant_id, Customer.id == customer_id)).scalar()
    if customer is None:
        raise ValidationError("The order refers to a customer that does not exist.",
                              code="invalid_reference",
                              fields={"customer_id": [f"No customer with id '{customer_id}'."]})
    return customer


def _line_items(session, principal: Principal, items: list[dict]) -> list[OrderItem]:
    ids = {item["product_id"] for item in items}
    products = {p.id: p for p in session.execute(  # the columns a line copies, not the ORM row
        select(Product.id, Product.sku, Product.name, Product.price).where(
            Product.tenant_id == principal.tenant_id, Product.id.in_(ids),
            Product.deleted_at.is_(None)))}
    missing = {f"items[{i}].product_id": [f"No product with id '{item['product_id']}'."]
               for i, item in enumerate(items) if item["product_id"] not in products}
    if missing:
        raise ValidationError("The order refers to products that do not exist.",
                              code="invalid_reference", fields=missing)
    lines = []
    for position, item in enumerate(items):
        product = products[item["product_id"]]
        unit_price = item.get("unit_price", product.price)
        lines.append(OrderItem(
            id=new_id("oli"), tenant_id=principal.tenant_id, position=position,
            product_id=product.id, sku=product.sku, name=product.name, quantity=item["quantity"],
            unit_price=unit_price, total=unit_price * item["quantity"]))
    return lines


def create_order(principal: Principal, data: dict) -> Order:
    now = utcnow()
    try:
        with write_transaction(keep_loaded=True) as session:
            customer = _customer(session, principal, data["customer_id"])
            items = _line_items(session, principal, data["items"])
            order = Order(  # built whole here, then written by two bulk INSERTs
                id=new_id("ord"), currency="BRL", customer_id=customer.id,
                tenant_id=principal.tenant_id, customer=customer, items=items,
                channel=data.get("channel", "direct"), external_number=data.get("external_number"),
                shipping_total=data.get("shipping_total", ZERO),
                discount_total=data.get("discount_total", ZERO),
                notes=data.get("notes"), metadata_=data.get("metadata_", {}),
                status="pending", status_history=[{"status": "pending", "at": now.isoformat()}],
                created_at=now, updated_at=now)
            for item in items:
                item.order_id = order.id
            _compute_totals(order)
            # Not the unit of work: it spent more CPU than the rest of the request on three rows.
            session.execute(insert(Order), [column_values(order)])
            session.execute(insert(OrderItem), [column_values(item) for item in items])
            outbox.emit(session, principal, "order.created", represent(order))
    except IntegrityError:
        raise ConflictError(
            f"An order from channel '{data.get('channel', 'direct')}' with external number "
            f"'{data.get('external_number')}' already exists.", code="duplicate_order",
            fields={"external_number": ["Already used on this channel."]}) from None
    return order


def _compute_totals(order: Order) -> None:
    order.items_total = sum((line.total for line in order.items), ZERO)
    if order.items_total + order.shipping_total > MAX_TOTAL:
        raise ValidationError("The order total is too large.", fields={
            "items": [f"Items plus shipping may total at most {MAX_TOTAL:,}."]})
    if order.discount_total > order.items_total + order.shipping_total:
        raise ValidationError("The discount is larger than the order.",
                              fields={"discount_total": ["Exceeds items plus shipping."]})
    order.total = order.items_total + order.shipping_total - order.discount_total


def update_order(principal: Principal, order_id: str, data: dict) -> Order:
    with write_transaction(keep_loaded=True) as session:
        order = session.execute(select(Order).where(
            Order.tenant_id == principal.tenant_id, Order.id == order_id).with_for_update(of=Order)
        ).unique().scalar_one_or_none()
        if order is None:
            raise NotFoundError("order", order_id)
        before = represent(order)
        new_status = data.pop("status", order.status)
        for name, value in data.items():
            setattr(order, name, value)
        status_changed = new_status != order.status
        if status_changed:
            _transition(order, new_status)
        if represent(order) == before:
            return order
        order.updated_at = utcnow()
        after = represent(order)
        outbox.emit(session, principal, "order.updated",
                    {**after, "previous_attributes": outbox.changed_attributes(before, after)})
        if status_changed:
            outbox.emit(session, principal, "order.status_changed",
                        {**after, "previous_status": before["status"]})
            if new_status in STATUS_EVENTS:
                outbox.emit(session, principal, STATUS_EVENTS[new_status], after)
    return order


def _transition(order: Order, new_status: str) -> None:
    allowed = TRANSITIONS[order.status]
    if new_status not in allowed:
        options = ", ".join(sorted(allowed)) or "none (final status)"
        raise InvalidTransitionError(
            f"An order cannot go from '{order.status}' to '{new_status}'. "
            f"Allowed from '{order.status}': {options}.",
            fields={"status": [f"Not allowed from '{order.status}'."]})
    order.status = new_status
    order.status_history = [*order.status_history,
                            {"status": new_status, "at": utcnow().isoformat()}]


def list_statement(principal: Principal, args: dict):
    statement = select(Order).where(Order.tenant_id == principal.tenant_id)
    for name in ("status", "customer_id", "channel", "external_number"):
        if name in args:
            statement = statement.where(getattr(Order, name) == args[name])
    if "updated_since" in args:
        statement = statement.where(Order.updated_at >= args["updated_since"])
    return statement
