"""Orders: exact totals, and a status state machine with an event per transition."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from ..api.customers.schemas import CustomerSummarySchema
from ..api.orders.schemas import OrderSchema
from ..auth.principal import Principal
from ..db import table_row, utcnow, write_transaction
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
_CUSTOMER_SUMMARY = CustomerSummarySchema()


def represent(order: Order) -> dict:
    return _REPRESENTATION.dump(order)


# Creating an order is the API's hottest write: its statements are Core, built once (the ORM's
# per-statement bookkeeping cost more CPU than the statements; bench/README.md has the figures).
_customers, _products = Customer.__table__, Product.__table__
_CUSTOMER = select(_customers.c.id, _customers.c.name, _customers.c.email,
                   _customers.c.document).where(_customers.c.tenant_id == bindparam("tenant_id"),
                                                _customers.c.id == bindparam("customer_id"))
_PRODUCTS = select(_products.c.id, _products.c.sku, _products.c.name, _products.c.price).where(
    _products.c.tenant_id == bindparam("tenant_id"),
    _products.c.id.in_(bindparam("product_ids", expanding=True)),
    _products.c.deleted_at.is_(None))
_INSERT_ORDER, _INSERT_ITEMS = insert(Order.__table__), insert(OrderItem.__table__)


def _customer(session, principal: Principal, customer_id: str):
    """The customer's summary row (what an order shows of its customer)."""
    customer = session.execute(_CUSTOMER, {"tenant_id": principal.tenant_id,
                                           "customer_id": customer_id}).first()
    if customer is None:
        raise ValidationError("The order refers to a customer that does not exist.",
                              code="invalid_reference",
                              fields={"customer_id": [f"No customer with id '{customer_id}'."]})
    return customer


def _line_items(session, principal: Principal, items: list[dict]) -> list[OrderItem]:
    products = {p.id: p for p in session.execute(_PRODUCTS, {
        "tenant_id": principal.tenant_id,
        "product_ids": list({item["product_id"] for item in items})})}
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


def create_order(principal: Principal, data: dict) -> dict:
    """Writes the order, its lines and `order.created`; answers the order's representation."""
    now = utcnow()
    try:
        with write_transaction() as session:
            customer = _customer(session, principal, data["customer_id"])
            items = _line_items(session, principal, data["items"])
            order = Order(  # built whole in memory, never added to the session
                id=new_id("ord"), currency="BRL", customer_id=customer.id,
                tenant_id=principal.tenant_id, items=items,
                channel=data.get("channel", "direct"), external_number=data.get("external_number"),
                shipping_total=data.get("shipping_total", ZERO),
                discount_total=data.get("discount_total", ZERO),
                notes=data.get("notes"), metadata_=data.get("metadata_", {}),
                status="pending", status_history=[{"status": "pending", "at": now.isoformat()}],
                created_at=now, updated_at=now)
            for item in items:
                item.order_id = order.id
            _compute_totals(order)
            session.execute(_INSERT_ORDER, table_row(order))
            session.execute(_INSERT_ITEMS, [table_row(item) for item in items])
            # The customer was read as a row, not as the relationship the schema would follow.
            representation = {**represent(order), "customer": _CUSTOMER_SUMMARY.dump(customer)}
            outbox.emit(session, principal, "order.created", representation)
    except IntegrityError:
        raise ConflictError(
            f"An order from channel '{data.get('channel', 'direct')}' with external number "
            f"'{data.get('external_number')}' already exists.", code="duplicate_order",
            fields={"external_number": ["Already used on this channel."]}) from None
    return representation


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
        events = [("order.updated", {
            **after, "previous_attributes": outbox.changed_attributes(before, after)})]
        if status_changed:
            events.append(("order.status_changed", {**after, "previous_status": before["status"]}))
            if new_status in STATUS_EVENTS:
                events.append((STATUS_EVENTS[new_status], after))
        outbox.emit_many(session, principal, events)
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
