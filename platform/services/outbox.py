"""Events go into the outbox in the same transaction as the change they describe."""
from __future__ import annotations

from ..auth.principal import Principal
from ..models import Event


def emit(session, principal: Principal, event_type: str, data: dict) -> Event:
    event = Event(tenant_id=principal.tenant_id, type=event_type, data=data,
                  origin=principal.origin)
    session.add(event)
    return event


def changed_attributes(before: dict, after: dict) -> dict:
    """The previous values of what changed (Stripe's `previous_attributes`)."""
    return {k: v for k, v in before.items() if after.get(k) != v and k != "updated_at"}
