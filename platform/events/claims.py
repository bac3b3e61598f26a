"""Leases: a worker claims due deliveries for a while; a lease that runs out is free to take again.

A lease lasts one request's timeout plus a margin, and the worker renews it while the delivery
waits for a sender. So a worker killed mid-flight loses nothing: its deliveries come due again
when their lease expires, and are sent again with the same webhook-id (duplicates are allowed,
losses are not).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from .. import crypto
from ..db import skip_locked, utcnow, write_transaction
from ..models import Event, WebhookDelivery, WebhookEndpoint
from ..settings import Settings

log = logging.getLogger("markethub.webhooks")


@dataclass(frozen=True)
class Target:
    """Where and how to send: the endpoint's URL and the secrets that sign right now."""

    endpoint_id: str
    url: str
    secrets: tuple[str, ...]
    refusal: str | None  # why nothing may be sent (endpoint disabled or deleted)
    failing: bool  # in a failure streak when claimed (so a success must end it)
    unavailable: str | None = None  # why nothing can be sent right now (try again later)


@dataclass(frozen=True)
class Claim:
    delivery_id: str
    lease_token: str
    attempt_count: int
    attempts_in_cycle: int
    tenant_id: str
    event_id: str
    event_type: str
    event_created_at: object
    data: dict
    target: Target


def endpoint_context(endpoint_id: str) -> str:
    return f"webhook_endpoint:{endpoint_id}"


def signing_secrets(settings: Settings, endpoint, now) -> tuple[str, ...]:
    """The current secret, plus the previous one while its rotation overlap lasts."""
    context = endpoint_context(endpoint.id)
    secrets = [crypto.unseal(settings, endpoint.secret_sealed, context)]
    if endpoint.previous_secret_sealed and endpoint.previous_secret_expires_at > now:
        secrets.append(crypto.unseal(settings, endpoint.previous_secret_sealed, context))
    return tuple(secrets)


@dataclass(frozen=True)
class LeaseRequest:
    """Lease what you create, up to `room` deliveries, under `token` (see dispatcher)."""

    settings: Settings
    token: str
    room: int


def target_for(settings: Settings, endpoint, now) -> Target:
    failing = endpoint.failing_since is not None
    if endpoint.deleted_at is not None:
        return Target(endpoint.id, endpoint.url, (), "The endpoint was deleted.", failing)
    if not endpoint.enabled:
        reason = f"The endpoint is disabled: {endpoint.disabled_reason or 'by its owner'}"
        return Target(endpoint.id, endpoint.url, (), reason, failing)
    try:
        return Target(endpoint.id, endpoint.url, signing_secrets(settings, endpoint, now), None,
                      failing)
    except crypto.DecryptionError as error:  # a key missing from settings: an operator's fix
        log.error("cannot unseal the signing secret of %s: %s", endpoint.id, error)
        return Target(endpoint.id, endpoint.url, (), None, failing, unavailable=(
            f"Could not decrypt the endpoint's signing secret ({error}); nothing was sent."))


def _due(now):
    return (WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.lease_expires_at.is_(None), WebhookDelivery.lease_expires_at < now))


def lease_seconds(settings: Settings) -> float:
    return settings.webhook_timeout_seconds + settings.webhook_lease_margin_seconds


def new_lease_token() -> str:
    return uuid.uuid4().hex


def claim_due(settings: Settings, limit: int, token: str) -> list[Claim]:
    """Leases up to `limit` due deliveries, oldest due first, with what is needed to send them."""
    now = utcnow()
    with write_transaction() as session:
        rows = session.execute(skip_locked(
            select(WebhookDelivery.id, WebhookDelivery.event_id, WebhookDelivery.endpoint_id,
                   WebhookDelivery.attempt_count, WebhookDelivery.attempts_in_cycle)
            .where(*_due(now)).order_by(WebhookDelivery.next_attempt_at).limit(limit))).all()
        if not rows:
            return []
        session.execute(update(WebhookDelivery.__table__)
                        .where(WebhookDelivery.id.in_([row.id for row in rows]))
                        .values(lease_expires_at=now + timedelta(seconds=lease_seconds(settings)),
                                lease_token=token))
        events = {event.id: event for event in session.execute(
            select(Event.id, Event.tenant_id, Event.type, Event.created_at, Event.data)
            .where(Event.id.in_({row.event_id for row in rows})))}
        endpoints = {endpoint.id: target_for(settings, endpoint, now)
                     for endpoint in session.execute(select(WebhookEndpoint).where(
                         WebhookEndpoint.id.in_({row.endpoint_id for row in rows}))).scalars()}
    return [Claim(row.id, token, row.attempt_count, row.attempts_in_cycle,
                  events[row.event_id].tenant_id, row.event_id, events[row.event_id].type,
                  events[row.event_id].created_at, events[row.event_id].data,
                  endpoints[row.endpoint_id]) for row in rows]


def renew_leases(settings: Settings, token: str, delivery_ids) -> None:
    """Still ours, still coming: pushes the lease out again (a dead worker stops renewing)."""
    expires = utcnow() + timedelta(seconds=lease_seconds(settings))
    with write_transaction() as session:
        session.execute(update(WebhookDelivery.__table__).where(
            WebhookDelivery.id.in_(list(delivery_ids)), WebhookDelivery.lease_token == token)
            .values(lease_expires_at=expires))


def has_due_work(session, now) -> bool:
    """Any undispatched event or due, unleased delivery? (The sweeper's question.)"""
    undispatched = session.execute(
        select(Event.id).where(Event.dispatched_at.is_(None)).limit(1)).first()
    if undispatched:
        return True
    return session.execute(select(WebhookDelivery.id).where(*_due(now)).limit(1)).first() \
        is not None
