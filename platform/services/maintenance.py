"""Housekeeping: what has outlived its use is deleted. The webhook workers' sweeper runs it every
`maintenance_interval_minutes` (events/sweeper.py); `markethub purge` runs it at once."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from ..db import utcnow, write_transaction
from ..models import HubSession, IdempotencyRecord, RefreshToken

GRACE = timedelta(days=1)  # expired rows stay a day, for whoever is looking into a problem


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
