"""Webhook endpoints, one delivery per (event, endpoint), and every attempt of a delivery.

The database is the truth: a delivery is `pending` until it succeeds or runs out of attempts;
`lease_*` says which worker holds it right now (a lease that expires is free to take again).
"""
from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import JSONType, UTCDateTime

DELIVERY_STATUSES = ("pending", "succeeded", "failed")


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_tenant_id", "tenant_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("wh"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(500))
    event_types: Mapped[list] = mapped_column(JSONType, default=list)  # may hold `order.*`, `*`
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at = mapped_column(UTCDateTime, nullable=True)
    secret_sealed: Mapped[str] = mapped_column(String(200))  # crypto.seal(); never the plaintext
    previous_secret_sealed: Mapped[str | None] = mapped_column(String(200))
    previous_secret_expires_at = mapped_column(UTCDateTime, nullable=True)
    failing_since = mapped_column(UTCDateTime, nullable=True)  # first failure of the current streak
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("uq_webhook_deliveries_event_endpoint", "event_id", "endpoint_id", unique=True),
        Index("ix_webhook_deliveries_endpoint_id", "endpoint_id", "id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("dlv"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    event_type: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    attempts_in_cycle: Mapped[int] = mapped_column(Integer, default=0)  # reset by retry/replay
    next_attempt_at = mapped_column(UTCDateTime, nullable=True)
    lease_expires_at = mapped_column(UTCDateTime, nullable=True)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    completed_at = mapped_column(UTCDateTime, nullable=True)

    attempts: Mapped[list["WebhookAttempt"]] = relationship(
        order_by="WebhookAttempt.attempt_number", lazy="raise")


class WebhookAttempt(db.Model):
    """One HTTP request of a delivery, as sent and as answered (the answer's body capped)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        Index("ix_webhook_attempts_delivery", "delivery_id", "attempt_number"),
        Index("ix_webhook_attempts_endpoint_started", "endpoint_id", "started_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("att"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id"))
    endpoint_id: Mapped[str] = mapped_column(String(40))
    attempt_number: Mapped[int] = mapped_column(Integer)
    started_at = mapped_column(UTCDateTime, nullable=False)
    url: Mapped[str] = mapped_column(String(2048))
    request_headers: Mapped[dict] = mapped_column(JSONType, default=dict)
    request_body: Mapped[str] = mapped_column(Text)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_body_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
