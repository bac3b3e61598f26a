"""Outbox → deliveries: each undispatched event becomes one delivery per matching enabled endpoint.

Claimed with SKIP LOCKED, so any number of workers can dispatch at once; the deliveries and the
event's `dispatched_at` commit together, so an event is fanned out exactly once. An endpoint
only gets events that happened after it was created.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, select, update

from ..db import skip_locked, utcnow, write_transaction
from ..ids import new_id
from ..integrations import reactions
from ..models import Event, WebhookDelivery, WebhookEndpoint
from .catalogue import matches

# Core, not the ORM: no per-row bookkeeping. psycopg sends the rows as one pipeline (measured
# cheaper here than a multi-row INSERT ... RETURNING).
INSERT_DELIVERIES = insert(WebhookDelivery.__table__)


def _subscribers(session, tenant_ids) -> dict[str, list]:
    rows = session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.tenant_id, WebhookEndpoint.event_types,
               WebhookEndpoint.created_at)
        .where(WebhookEndpoint.tenant_id.in_(tenant_ids), WebhookEndpoint.enabled.is_(True),
               WebhookEndpoint.deleted_at.is_(None))).all()
    by_tenant = defaultdict(list)
    for row in rows:
        by_tenant[row.tenant_id].append(row)
    return by_tenant


def delivery_row(event_id: str, event_type: str, tenant_id: str, endpoint_id: str, now) -> dict:
    return {"id": new_id("dlv"), "tenant_id": tenant_id, "endpoint_id": endpoint_id,
            "event_id": event_id, "event_type": event_type, "status": "pending",
            "attempt_count": 0, "attempts_in_cycle": 0, "next_attempt_at": now,
            "created_at": now, "updated_at": now}


def dispatch_pending(limit: int = 500) -> int:
    """Dispatches up to `limit` events; returns how many (0: the outbox is drained)."""
    now = utcnow()
    with write_transaction() as session:
        events = session.execute(skip_locked(
            select(Event.id, Event.tenant_id, Event.type, Event.created_at)
            .where(Event.dispatched_at.is_(None)).order_by(Event.id).limit(limit))).all()
        if not events:
            return 0
        subscribers = _subscribers(session, {event.tenant_id for event in events})
        rows = [delivery_row(event.id, event.type, event.tenant_id, endpoint.id, now)
                for event in events for endpoint in subscribers.get(event.tenant_id, ())
                if endpoint.created_at <= event.created_at
                and matches(endpoint.event_types, event.type)]
        if rows:
            session.execute(INSERT_DELIVERIES, rows)
        reactions.fan_out(session, events, now)  # ERP pushes, in the same transaction
        session.execute(update(Event.__table__)
                        .where(Event.id.in_([event.id for event in events]))
                        .values(dispatched_at=now))
    return len(events)
