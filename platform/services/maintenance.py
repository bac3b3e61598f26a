"""Housekeeping run periodically by the worker."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from ..db import utcnow, write_transaction
from ..models import IdempotencyRecord, RefreshToken


def purge_expired(idempotency_ttl_hours: int) -> dict:
    """Idempotency keys past their TTL and refresh tokens expired for a day are deleted."""
    now = utcnow()
    with write_transaction() as session:
        keys = session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < now - timedelta(hours=idempotency_ttl_hours))).rowcount
        tokens = session.execute(delete(RefreshToken).where(
            RefreshToken.expires_at < now - timedelta(days=1))).rowcount
    return {"idempotency_keys": keys, "refresh_tokens": tokens}
