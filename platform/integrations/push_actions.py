"""What each push sends and what it remembers: our record → the connector action's inputs (our
ids mapped to the ERP's), and the action's output → the id map and the push's result.

Dispatch is by action key (a registry), never an if/else over ERPs: any connector that has the
action can take the push.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from markethub.connectors.sdk.values import BRASILIA

from ..errors import NotFoundError, ValidationError
from ..extensions import db
from ..models import Order, Product
from . import refs


@dataclass(frozen=True)
class PushTarget:
    tenant_id: str
    integration_id: str
    local_id: str


@dataclass(frozen=True)
class PushAction:
    resource: str
    inputs: Callable[[PushTarget], dict]
    remember: Callable[[PushTarget, dict], str | None]  # -> the ERP id to show


def _product(target: PushTarget) -> Product:
    product = db.session.execute(select(Product).where(
        Product.tenant_id == target.tenant_id, Product.id == target.local_id,
        Product.deleted_at.is_(None))).unique().scalar()
    if product is None:
        raise NotFoundError("product", target.local_id)
    return product


def _order(target: PushTarget) -> Order:
    order = db.session.execute(select(Order).where(
        Order.tenant_id == target.tenant_id, Order.id == target.local_id)).unique().scalar()
    if order is None:
        raise NotFoundError("order", target.local_id)
    return order


def _erp_id(target: PushTarget, resource: str, local_id: str) -> str | None:
    ref = refs.by_local(target.integration_id, resource, [local_id]).get(local_id)
    return ref.external_id if ref else None


def stock_inputs(target: PushTarget) -> dict:
    """The stock *now* (not the event's): pushes converge even when they run late or twice."""
    product = _product(target)
    erp_id = _erp_id(target, "product", product.id)
    found = {"product_id": erp_id} if erp_id else {"sku": product.sku}
    return {**found, "quantity": str(product.inventory.quantity), "operation": "balance"}


def remember_stock(target: PushTarget, output: dict) -> str | None:
    refs.link(target.tenant_id, target.integration_id, "product", target.local_id,
              output["product_external_id"])
    return output["product_external_id"]


def _without_none(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "")}


def order_inputs(target: PushTarget) -> dict:
    order = _order(target)
    items = []
    for line in order.items:
        erp_id = _erp_id(target, "product", line.product_id)
        items.append(_without_none({"product_id": erp_id, "sku": None if erp_id else line.sku,
                                    "name": line.name, "quantity": str(line.quantity),
                                    "unit_price": str(line.unit_price)}))
    customer = order.customer
    return _without_none({
        "customer": _without_none({"name": customer.name, "document": customer.document,
                                   "email": customer.email}),
        "items": items, "channel_number": order.id,  # the ERP dedupes a retried create by it
        "ordered_on": order.created_at.astimezone(BRASILIA).date().isoformat(),
        "shipping_total": str(order.shipping_total), "discount_total": str(order.discount_total),
        "notes": order.notes})


def remember_order(target: PushTarget, output: dict) -> str | None:
    refs.link(target.tenant_id, target.integration_id, "order", target.local_id,
              output["external_id"])
    return output["external_id"]


def invoice_inputs(target: PushTarget) -> dict:
    order = _order(target)
    erp_id = _erp_id(target, "order", order.id)
    if erp_id is None:
        raise ValidationError("This order is not in the ERP yet: sync the ERP's orders (or "
                              "create it there) before invoicing.", code="order_not_in_erp",
                              fields={"order_id": ["No ERP order linked to this order."]})
    return {"order_id": erp_id}


def remember_invoice(target: PushTarget, output: dict) -> str | None:
    invoice = output.get("invoice") or {}
    return invoice.get("access_key") or invoice.get("number")


ACTIONS: dict[str, PushAction] = {
    "update_stock": PushAction("product", stock_inputs, remember_stock),
    "create_order": PushAction("order", order_inputs, remember_order),
    "create_invoice": PushAction("order", invoice_inputs, remember_invoice),
}
