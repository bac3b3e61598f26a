"""Outbox → deliveries: each undispatched event becomes one delivery per matching enabled endpoint.

Claimed with SKIP LOCKED, so any number of workers can dispatch at once; the deliveries and the
event's `dispatched_at` commit together, so an event is fanned out exactly once. An endpoint
only gets events that happened after it was created.

A pump that dispatches also leases (up to the room it has) the deliveries it just created, in the
same transaction: new events go straight to its senders without a second round of queries.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import insert, select, update

from ..db import skip_locked, utcnow, write_transaction
from ..ids import new_id
from ..integrations import reactions
from ..models import Event, WebhookDelivery, WebhookEndpoint
from .catalogue import matches
from .claims import Claim, LeaseRequest, lease_seconds, target_for

# Core, not the ORM: no per-row bookkeeping. psycopg sends the rows as one pipeline (measured
# cheaper here than a multi-row INSERT ... RETURNING).
INSERT_DELIVERIES = insert(WebhookDelivery.__table__)


def _subscribers(session, tenant_ids) -> dict[str, list[WebhookEndpoint]]:
    endpoints = session.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.tenant_id.in_(tenant_ids), WebhookEndpoint.enabled.is_(True),
        WebhookEndpoint.deleted_at.is_(None))).scalars()
    by_tenant = defaultdict(list)
    for endpoint in endpoints:
        by_tenant[endpoint.tenant_id].append(endpoint)
    return by_tenant


@dataclass
class Dispatched:
    events: int = 0
    claims: list[Claim] = field(default_factory=list)  # leased to the caller, ready to send


def _lease(rows: list[dict], events: dict, endpoints: dict, lease: LeaseRequest, now):
    """Leases the first `lease.room` new deliveries to the caller; returns their claims."""
    expires = now + timedelta(seconds=lease_seconds(lease.settings))
    targets, claims = {}, []
    for row in rows[:lease.room]:
        row.update(lease_token=lease.token, lease_expires_at=expires)
        endpoint_id = row["endpoint_id"]
        if endpoint_id not in targets:
            targets[endpoint_id] = target_for(lease.settings, endpoints[endpoint_id], now)
        event = events[row["event_id"]]
        claims.append(Claim(row["id"], lease.token, 0, 0, event.tenant_id, event.id, event.type,
                            event.created_at, event.data, targets[endpoint_id]))
    return claims


def delivery_row(event_id: str, event_type: str, tenant_id: str, endpoint_id: str, now) -> dict:
    return {"id": new_id("dlv"), "tenant_id": tenant_id, "endpoint_id": endpoint_id,
            "event_id": event_id, "event_type": event_type, "status": "pending",
            "attempt_count": 0, "attempts_in_cycle": 0, "next_attempt_at": now,
            "lease_token": None, "lease_expires_at": None, "created_at": now, "updated_at": now}


def dispatch_pending(limit: int = 500) -> int:
    """Dispatches up to `limit` events; returns how many (0: the outbox is drained)."""
    return dispatch_and_lease(limit).events


def dispatch_and_lease(limit: int = 500, lease: LeaseRequest | None = None) -> Dispatched:
    """Dispatches up to `limit` events, leasing new deliveries to the caller as `lease` asks."""
    now = utcnow()
    with write_transaction() as session:
        events = session.execute(skip_locked(
            select(Event.id, Event.tenant_id, Event.type, Event.created_at, Event.data)
            .where(Event.dispatched_at.is_(None)).order_by(Event.id).limit(limit))).all()
        if not events:
            return Dispatched()
        subscribers = _subscribers(session, {event.tenant_id for event in events})
        rows = [delivery_row(event.id, event.type, event.tenant_id, endpoint.id, now)
                for event in events for endpoint in subscribers.get(event.tenant_id, ())
                if endpoint.created_at <= event.created_at
                and matches(endpoint.event_types, event.type)]
        claims = []
        if lease and rows:
            endpoints = {e.id: e for tenant in subscribers.values() for e in tenant}
            claims = _lease(rows, {event.id: event for event in events}, endpoints, lease, now)
        if rows:
            session.execute(INSERT_DELIVERIES, rows)
        reactions.fan_out(session, events, now)  # ERP pushes, in the same transaction
        session.execute(update(Event.__table__)
                        .where(Event.id.in_([event.id for event in events]))
                        .values(dispatched_at=now))
    return Dispatched(len(events), claims)
