"""Housekeeping: what has outlived its use is deleted. The webhook workers' sweeper runs it every
`maintenance_interval_minutes` (events/sweeper.py); `markethub purge` runs it at once."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import delete, exists, or_, select

from ..db import utcnow, write_transaction
from ..ids import first_id_at
from ..models import (Event, HubSession, IdempotencyRecord, RefreshToken, WebhookAttempt,
                      WebhookDelivery)
from ..settings import Settings

GRACE = timedelta(days=1)  # expired rows stay a day, for whoever is looking into a problem
EVENTS_PER_TRANSACTION = 2000  # short transactions: the workers keep writing meanwhile


def housekeep(settings: Settings) -> dict:
    return {**purge_expired(settings.idempotency_ttl_hours),
            **purge_old_events(settings.event_retention_days)}


def purge_expired(idempotency_ttl_hours: int) -> dict:
    """Idempotency keys past their TTL; refresh tokens and hub sessions over for a day."""
    now = utcnow()
    with write_transaction() as session:
        keys = session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < now - timedelta(hours=idempotency_ttl_hours))).rowcount
        tokens = session.execute(delete(RefreshToken).where(
            RefreshToken.expires_at < now - GRACE)).rowcount
        hub_sessions = session.execute(delete(HubSession).where(or_(
            HubSession.expires_at < now - GRACE, HubSession.ended_at < now - GRACE))).rowcount
    return {"idempotency_keys": keys, "refresh_tokens": tokens, "hub_sessions": hub_sessions}


def purge_old_events(retention_days: int) -> dict:
    """Events older than the retention, with their deliveries and every attempt's bodies.

    Never an event still to deliver: not yet dispatched, or with a delivery still pending (a
    retry waiting its turn). Ids sort by creation, so "older" is an id range on the primary key,
    and each batch is a transaction of its own.
    """
    oldest_kept = first_id_at("evt", utcnow() - timedelta(days=retention_days))
    still_to_deliver = exists().where(WebhookDelivery.event_id == Event.id,
                                      WebhookDelivery.status == "pending")
    expired = (select(Event.id).where(Event.id < oldest_kept, Event.dispatched_at.is_not(None),
                                      ~still_to_deliver)
               .order_by(Event.id).limit(EVENTS_PER_TRANSACTION))
    deleted = Counter(events=0, webhook_deliveries=0, webhook_attempts=0)
    while True:
        with write_transaction() as session:
            ids = session.execute(expired).scalars().all()
            if ids:
                _delete_events(session, ids, deleted)
        if len(ids) < EVENTS_PER_TRANSACTION:
            return dict(deleted)


def _delete_events(session, ids: list[str], deleted: Counter) -> None:
    # A delivery made pending again since the batch was chosen (a retry) is left alone, and so
    # is its event.
    done = (WebhookDelivery.event_id.in_(ids), WebhookDelivery.status != "pending")
    deleted["webhook_attempts"] += session.execute(delete(WebhookAttempt).where(
        WebhookAttempt.delivery_id.in_(select(WebhookDelivery.id).where(*done)))).rowcount
    deleted["webhook_deliveries"] += session.execute(delete(WebhookDelivery).where(
        *done)).rowcount
    deleted["events"] += session.execute(delete(Event).where(
        Event.id.in_(ids), ~exists().where(WebhookDelivery.event_id == Event.id))).rowcount
