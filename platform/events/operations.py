"""Sending on demand: a signed test event, retrying one delivery, replaying a time range."""
from __future__ import annotations

from sqlalchemy import func, insert, or_, select, update

from ..auth.principal import Principal
from ..db import utcnow, write_transaction
from ..errors import ConflictError, NotFoundError, ValidationError
from ..ids import new_id
from ..models import Event, WebhookDelivery, WebhookEndpoint
from ..settings import Settings
from .catalogue import BY_NAME, EVENT_TYPES, expand
from .dispatcher import delivery_row
from .subscriptions import locked_endpoint
from .wakeup import request_wakeup

TEST_ORIGIN = "test"  # test events are delivered to one endpoint only and kept out of the log


def _require_enabled(endpoint: WebhookEndpoint) -> None:
    if not endpoint.enabled:
        raise ConflictError(f"The endpoint is disabled ({endpoint.disabled_reason}); enable it "
                            "first.", code="endpoint_disabled")


def send_test(principal: Principal, endpoint_id: str, event_type: str | None) -> WebhookDelivery:
    """Sends the catalogue example of `event_type` (default: the first type subscribed to)."""
    now = utcnow()
    with write_transaction() as session:
        endpoint = locked_endpoint(session, principal, endpoint_id)
        _require_enabled(endpoint)
        event_type = event_type or (expand(endpoint.event_types) or [EVENT_TYPES[0].name])[0]
        event = Event(id=new_id("evt"), tenant_id=principal.tenant_id, type=event_type,
                      data=BY_NAME[event_type].example, origin=TEST_ORIGIN, created_at=now,
                      dispatched_at=now)
        delivery = WebhookDelivery(**delivery_row(event.id, event_type, principal.tenant_id,
                                                  endpoint.id, now))
        session.add_all([event, delivery])
        request_wakeup(session)
    return delivery


def retry_delivery(principal: Principal, delivery_id: str) -> WebhookDelivery:
    """Sends it again now, with a fresh retry schedule and the same webhook-id."""
    now = utcnow()
    with write_transaction() as session:
        delivery = session.execute(select(WebhookDelivery).where(
            WebhookDelivery.tenant_id == principal.tenant_id, WebhookDelivery.id == delivery_id)
            .with_for_update()).scalar_one_or_none()
        if delivery is None:
            raise NotFoundError("delivery", delivery_id)
        endpoint = locked_endpoint(session, principal, delivery.endpoint_id)
        _require_enabled(endpoint)
        if delivery.lease_expires_at and delivery.lease_expires_at > now:
            raise ConflictError("The delivery is being sent right now.",
                                code="delivery_in_flight")
        delivery.status, delivery.attempts_in_cycle = "pending", 0
        delivery.next_attempt_at = delivery.updated_at = now
        delivery.completed_at = None
        request_wakeup(session)
    return delivery


def _replayable_events(tenant_id: str, event_types: list[str], since, until):
    return select(Event.id, Event.type).where(
        Event.tenant_id == tenant_id, Event.created_at >= since, Event.created_at < until,
        Event.type.in_(event_types), Event.origin != TEST_ORIGIN)


def replay(principal: Principal, settings: Settings, endpoint_id: str, since, until,
           dry_run: bool) -> int:
    """Every event in [since, until) that the endpoint subscribes to, sent again (or counted)."""
    if since >= until:
        raise ValidationError("`since` must be before `until`.", code="invalid_time_range",
                              fields={"since": ["Must be before until."]})
    now = utcnow()
    with write_transaction() as session:
        endpoint = locked_endpoint(session, principal, endpoint_id)
        events = _replayable_events(principal.tenant_id, expand(endpoint.event_types), since,
                                    until)
        count = session.execute(select(func.count()).select_from(events.subquery())).scalar()
        if count > settings.webhook_replay_max_events:
            raise ValidationError(
                f"{count:,} events in that range; replay at most "
                f"{settings.webhook_replay_max_events:,} at a time.", code="replay_too_large",
                fields={"until": ["Narrow the time range."]})
        if dry_run or not count:
            return count
        _require_enabled(endpoint)
        _requeue(session, endpoint, events, now)
    return count


def _requeue(session, endpoint: WebhookEndpoint, events, now) -> None:
    event_ids = events.with_only_columns(Event.id)
    known = set(session.execute(select(WebhookDelivery.event_id).where(
        WebhookDelivery.endpoint_id == endpoint.id,
        WebhookDelivery.event_id.in_(event_ids))).scalars())
    session.execute(update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.event_id.in_(event_ids),
        or_(WebhookDelivery.lease_expires_at.is_(None), WebhookDelivery.lease_expires_at < now))
        .values(status="pending", attempts_in_cycle=0, next_attempt_at=now, completed_at=None,
                updated_at=now))
    new_rows = [delivery_row(event.id, event.type, endpoint.tenant_id, endpoint.id, now)
                for event in session.execute(events) if event.id not in known]
    if new_rows:
        session.execute(insert(WebhookDelivery), new_rows)
    request_wakeup(session)
