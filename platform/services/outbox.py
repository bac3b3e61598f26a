"""Events go into the outbox in the same transaction as the change they describe."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert

from ..auth.principal import Principal
from ..db import utcnow
from ..events.wakeup import request_wakeup
from ..ids import new_id
from ..models import Event

# A Core INSERT, not the unit of work: flushing one event object cost an order's request more CPU
# than the INSERT itself. It runs at once, inside the caller's transaction (or savepoint), so a
# rollback takes the event with the change.
_INSERT = insert(Event.__table__)


def emit(session, principal: Principal, event_type: str, data: dict) -> dict:
    """The event's row as written (`id` is the webhook-id its deliveries carry)."""
    return emit_many(session, principal, [(event_type, data)])[0]


def emit_many(session, principal: Principal, events: Iterable[tuple[str, dict]]) -> list[dict]:
    """Several events in one statement (an import's thousand `product.created`), in order."""
    now = utcnow()
    rows = [{"id": new_id("evt"), "tenant_id": principal.tenant_id, "type": event_type,
             "data": data, "origin": principal.origin, "created_at": now}
            for event_type, data in events]
    if rows:
        session.execute(_INSERT, rows[0] if len(rows) == 1 else rows)
        request_wakeup(session)  # the webhook workers start on it when this commits
    return rows


def changed_attributes(before: dict, after: dict) -> dict:
    """The previous values of what changed (Stripe's `previous_attributes`)."""
    return {k: v for k, v in before.items() if after.get(k) != v and k != "updated_at"}
