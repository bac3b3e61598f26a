"""Automatic reactions, fanned out by the outbox dispatcher in the same transaction that marks
the events dispatched (so each event makes its pushes exactly once, and none is lost):

- `inventory.updated` → `update_stock` in every integration with `push_stock` on;
- `order.created`     → `create_order` in every integration with `create_orders` on.

Never for an event whose origin is that same integration: a change pulled from Bling is not
pushed back to Bling (it still reaches Tiny, if Tiny pushes stock).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, or_, select

from ..ids import new_id
from ..models import Event, Integration, IntegrationPush
from .connections import connector_for


@dataclass(frozen=True)
class Reaction:
    flag: str  # the Integration column that turns it on
    action: str  # the connector action it runs
    resource: str
    local_id: str  # the field of the event's data that names our record


REACTIONS = {
    "inventory.updated": Reaction("push_stock", "update_stock", "product", "product_id"),
    "order.created": Reaction("create_orders", "create_order", "order", "id"),
}
LISTENING = ("connected", "error")  # in error, pushes wait for the seller to reconnect


def fan_out(session, events, now) -> int:
    """Pushes for the reactions these events trigger; returns how many were recorded."""
    wanted = [event for event in events if event.type in REACTIONS]
    if not wanted:
        return 0
    integrations = session.execute(select(
        Integration.id, Integration.tenant_id, Integration.provider, Integration.push_stock,
        Integration.create_orders).where(
        Integration.tenant_id.in_({event.tenant_id for event in wanted}),
        Integration.deleted_at.is_(None), Integration.status.in_(LISTENING),
        or_(Integration.push_stock.is_(True), Integration.create_orders.is_(True)))).all()
    if not integrations:
        return 0
    details = {row.id: row for row in session.execute(
        select(Event.id, Event.origin, Event.data).where(
            Event.id.in_([event.id for event in wanted])))}
    rows = [_push_row(event, details[event.id], integration, now)
            for event in wanted for integration in integrations
            if _reacts(integration, event, details[event.id])]
    if rows:
        session.execute(insert(IntegrationPush.__table__), rows)
    return len(rows)


def _reacts(integration, event, detail) -> bool:
    reaction = REACTIONS[event.type]
    return (integration.tenant_id == event.tenant_id and getattr(integration, reaction.flag)
            and detail.origin != f"integration:{integration.id}"
            and any(a.key == reaction.action for a in connector_for(integration.provider).actions))


def _push_row(event, detail, integration, now) -> dict:
    reaction = REACTIONS[event.type]
    return {"id": new_id("psh"), "tenant_id": event.tenant_id, "integration_id": integration.id,
            "action": reaction.action, "resource": reaction.resource,
            "local_id": detail.data[reaction.local_id], "source_event_id": event.id,
            "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
            "updated_at": now}
