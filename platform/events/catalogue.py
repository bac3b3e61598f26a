"""The event types: their names are forever (stored in subscriptions, recipes and Zapier apps).

Each type says when it fires, the JSON Schema of its `data` and an example. Subscriptions name
types exactly or with wildcards: `order.*` (every order event) or `*` (everything).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import resource_schemas as rs
from .examples import EXAMPLES


@dataclass(frozen=True)
class EventType:
    name: str
    fires_when: str
    schema: dict

    @property
    def group(self) -> str:
        return self.name.split(".")[0]

    @property
    def example(self) -> dict:
        return EXAMPLES[self.name]


_PREVIOUS = {"previous_attributes": rs.PREVIOUS_ATTRIBUTES}
_PREVIOUS_QUANTITY = {"previous_quantity": {"type": "integer", "minimum": 0}}
_STOCKED_PRODUCT = rs.with_required_value(rs.PRODUCT, "inventory", rs.PRODUCT["properties"][
    "inventory"]["anyOf"][0])
_FAILED_INTEGRATION = rs.with_required_value(rs.INTEGRATION, "error", rs.INTEGRATION[
    "properties"]["error"]["anyOf"][0])

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("product.created", "A product is created (API, hub or ERP sync).", rs.PRODUCT),
    EventType("product.updated", "A product's fields change (not its stock: see "
              "inventory.updated). `previous_attributes` holds the old values.",
              rs.extend(rs.PRODUCT, _PREVIOUS)),
    EventType("product.deleted", "A product is deleted; `data` is the product as it was, with "
              "`active: false`.", rs.PRODUCT),
    EventType("product.stock_low", "A product's quantity crosses down to its low-stock threshold "
              "or below: once per crossing, again only after it went back above.",
              _STOCKED_PRODUCT),
    EventType("order.created", "An order is created (API, hub or marketplace/ERP sync).",
              rs.ORDER),
    EventType("order.updated", "Any change to an order, status included. "
              "`previous_attributes` holds the old values.", rs.extend(rs.ORDER, _PREVIOUS)),
    EventType("order.status_changed", "An order moves to another status; `previous_status` "
              "says from which.",
              rs.extend(rs.ORDER, {"previous_status": {"enum": rs.ORDER_STATUSES}})),
    EventType("order.shipped", "An order's status becomes `shipped`.", rs.ORDER),
    EventType("order.delivered", "An order's status becomes `delivered`.", rs.ORDER),
    EventType("order.cancelled", "An order's status becomes `cancelled`.", rs.ORDER),
    EventType("customer.created", "A customer is created.", rs.CUSTOMER),
    EventType("customer.updated", "A customer's fields change. `previous_attributes` holds the "
              "old values.", rs.extend(rs.CUSTOMER, _PREVIOUS)),
    EventType("inventory.updated", "A product's quantity or low-stock threshold changes. "
              "`previous_quantity` holds the quantity before.",
              rs.extend(rs.INVENTORY_ITEM, _PREVIOUS_QUANTITY)),
    EventType("inventory.low_stock_alert", "Stock crosses down to the low-stock threshold or "
              "below (the same crossing as product.stock_low, carrying the inventory item).",
              rs.extend(rs.INVENTORY_ITEM, _PREVIOUS_QUANTITY)),
    EventType("integration.connected", "An ERP integration is connected (credentials checked).",
              rs.INTEGRATION),
    EventType("integration.disconnected", "An ERP integration is disconnected by the seller.",
              rs.INTEGRATION),
    EventType("integration.error", "An ERP integration stops working (credentials refused, "
              "repeated failures); `error` says why.", _FAILED_INTEGRATION),
)

BY_NAME = {event_type.name: event_type for event_type in EVENT_TYPES}
GROUPS = tuple(dict.fromkeys(event_type.group for event_type in EVENT_TYPES))


def pattern_error(pattern: str) -> str | None:
    """Why `pattern` is not a valid subscription entry, or None."""
    if pattern == "*" or pattern in BY_NAME:
        return None
    if pattern.endswith(".*") and pattern[:-2] in GROUPS:
        return None
    return (f"Unknown event type '{pattern}'. Use a type from GET /v1/events/types, "
            f"'<group>.*' ({', '.join(GROUPS)}) or '*'.")


def matches(patterns, event_type: str) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def expand(patterns) -> list[str]:
    """The catalogue types that `patterns` subscribe to, in catalogue order."""
    return [event_type.name for event_type in EVENT_TYPES if matches(patterns, event_type.name)]
