"""Operational records: idempotency keys, the audit log and the event outbox."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import JSONType, UTCDateTime


class IdempotencyRecord(db.Model):
    __tablename__ = "idempotency_keys"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    # Set in the transaction of the request's change (api/idempotency.py): a key left without an
    # answer by a dead process may be taken over only if this is still false.
    change_committed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_tenant_id", "tenant_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("aud"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    actor_type: Mapped[str] = mapped_column(String(20))  # hub_user, api_key, oauth_client, cli
    actor_id: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))  # e.g. api_key.created
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(40))
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Event(db.Model):
    """The outbox: written in the same transaction as the change it describes."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_tenant_id", "tenant_id", "id"),
        Index("ix_events_tenant_type", "tenant_id", "type"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("evt"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    type: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict] = mapped_column(JSONType)
    origin: Mapped[str] = mapped_column(String(60), default="api")  # api, hub, integration:<id>
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    dispatched_at = mapped_column(UTCDateTime, nullable=True, index=True)
