"""What the Webhooks pages read: the tenant's endpoints with their health, and a page of an
endpoint's delivery log. Every query starts from tenant_select (another tenant's id is a 404)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..api.common import CURSOR_SHAPE, get_owned, paginate, tenant_select
from ..events.endpoint_health import health
from ..events.operations import TEST_ORIGIN
from ..extensions import db
from ..models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .webhook_text import Reason, describe_reason

HEALTH_HOURS = 24
DELIVERIES_PER_PAGE = 20
DELIVERY_FILTERS = ("pending", "succeeded", "failed")
LIVE = WebhookEndpoint.deleted_at.is_(None)


@dataclass
class EndpointView:
    endpoint: WebhookEndpoint
    health: dict  # endpoint_health.health(): attempts, succeeded, success_rate, ...
    last_attempt: WebhookAttempt | None
    reason: Reason | None  # why it is disabled (None while enabled)

    @property
    def disabled_by_system(self) -> bool:
        return self.reason is not None and self.reason.by_system


def owned_endpoint(endpoint_id: str) -> WebhookEndpoint:
    return get_owned(WebhookEndpoint, endpoint_id, "webhook", LIVE)


def _last_attempts(endpoint_ids: list[str]) -> dict[str, WebhookAttempt]:
    latest = (select(WebhookAttempt.endpoint_id, func.max(WebhookAttempt.started_at).label("at"))
              .where(WebhookAttempt.endpoint_id.in_(endpoint_ids))
              .group_by(WebhookAttempt.endpoint_id).subquery())
    attempts = db.session.execute(tenant_select(WebhookAttempt).join(
        latest, (WebhookAttempt.endpoint_id == latest.c.endpoint_id)
        & (WebhookAttempt.started_at == latest.c.at))).scalars()
    return {attempt.endpoint_id: attempt for attempt in attempts}


def endpoint_views(endpoints: list[WebhookEndpoint]) -> list[EndpointView]:
    ids = [endpoint.id for endpoint in endpoints]
    stats = health(db.session, ids, HEALTH_HOURS) if ids else {}
    last = _last_attempts(ids) if ids else {}
    return [EndpointView(e, stats[e.id], last.get(e.id),
                         None if e.enabled else describe_reason(e.disabled_reason))
            for e in endpoints]


def tenant_endpoints() -> list[EndpointView]:
    endpoints = db.session.execute(tenant_select(WebhookEndpoint).where(LIVE)
                                   .order_by(WebhookEndpoint.id.desc())).scalars().all()
    return endpoint_views(list(endpoints))


@dataclass
class DeliveryPage:
    deliveries: list[WebhookDelivery]
    test_event_ids: set[str]  # sent with "Enviar evento de teste"
    status: str | None
    next_cursor: str | None
    first_page: bool


def delivery_page(endpoint: WebhookEndpoint, status: str | None,
                  cursor: str | None) -> DeliveryPage:
    status = status if status in DELIVERY_FILTERS else None
    cursor = cursor if cursor and re.fullmatch(CURSOR_SHAPE, cursor) else None
    statement = (tenant_select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                 .options(selectinload(WebhookDelivery.attempts)))
    if status:
        statement = statement.where(WebhookDelivery.status == status)
    page = paginate(statement, WebhookDelivery.id,
                    {"limit": DELIVERIES_PER_PAGE, "cursor": cursor})
    event_ids = [delivery.event_id for delivery in page["data"]]
    tests = set(db.session.execute(tenant_select(Event).where(
        Event.id.in_(event_ids), Event.origin == TEST_ORIGIN)
        .with_only_columns(Event.id)).scalars()) if event_ids else set()
    return DeliveryPage(page["data"], tests, status, page["next_cursor"], cursor is None)


def owned_delivery(endpoint: WebhookEndpoint, delivery_id: str) -> WebhookDelivery:
    return get_owned(WebhookDelivery, delivery_id, "delivery",
                     WebhookDelivery.endpoint_id == endpoint.id)
