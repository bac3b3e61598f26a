"""ERP integrations: the connection (credentials sealed), its sync runs, the id map between our
records and the ERP's, the pushes made to the ERP, and pending OAuth authorizations.

A sync run is `queued` → `running` → `succeeded` | `partial` (some items refused, each recorded
with the ERP's words) | `failed` (the run stopped; `resume` restarts it after its last stored
page). At most one run per integration is queued or running (a partial unique index).
"""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import JSONType, UTCDateTime

PROVIDERS = ("bling", "omie", "tiny")
INTEGRATION_STATUSES = ("connected", "disconnected", "error")
SYNC_MODES = ("automatic", "manual")
RUN_TRIGGERS = ("manual", "scheduled")
RUN_STATUSES = ("queued", "running", "succeeded", "failed", "partial")
ACTIVE_RUN_STATUSES = ("queued", "running")
PUSH_STATUSES = ("pending", "succeeded", "failed")

_ACTIVE_RUN = text("status IN ('queued', 'running')")


class Integration(db.Model):
    __tablename__ = "integrations"
    __table_args__ = (
        Index("ix_integrations_tenant_id", "tenant_id", "id"),
        Index("ix_integrations_due", "next_sync_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("int"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    provider: Mapped[str] = mapped_column(String(20))  # a connector key: bling, omie, tiny
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="disconnected")
    last_error: Mapped[dict | None] = mapped_column(JSONType)  # {code, message, erp_message…}
    account_label: Mapped[str | None] = mapped_column(String(200))  # the ERP account's name
    credentials_sealed: Mapped[str | None] = mapped_column(Text)  # crypto.seal(json), never plain
    sync_mode: Mapped[str] = mapped_column(String(20), default="manual")
    sync_interval_minutes: Mapped[int] = mapped_column(Integer, default=15)
    push_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    create_orders: Mapped[bool] = mapped_column(Boolean, default=False)
    config: Mapped[dict] = mapped_column(JSONType, default=dict)  # the seller's connector settings
    checkpoints: Mapped[dict] = mapped_column(JSONType, default=dict)  # sync key -> ISO instant
    last_sync_at = mapped_column(UTCDateTime, nullable=True)
    next_sync_at = mapped_column(UTCDateTime, nullable=True)
    connected_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)

    @property
    def origin(self) -> str:
        """What the events of changes pulled from this ERP say, so they are never pushed back."""
        return f"integration:{self.id}"


class SyncRun(db.Model):
    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_integration_id", "integration_id", "id"),
        Index("ix_sync_runs_tenant_id", "tenant_id", "id"),
        Index("uq_sync_runs_one_active", "integration_id", unique=True,
              sqlite_where=_ACTIVE_RUN, postgresql_where=_ACTIVE_RUN),
        Index("ix_sync_runs_status_lease", "status", "lease_expires_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("run"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    integration_id: Mapped[str] = mapped_column(ForeignKey("integrations.id"))
    trigger: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    syncs: Mapped[list] = mapped_column(JSONType, default=list)  # sync keys, in order
    completed: Mapped[list] = mapped_column(JSONType, default=list)  # sync keys done
    counts: Mapped[dict] = mapped_column(JSONType, default=dict)  # entity -> {created, …}
    errors: Mapped[list] = mapped_column(JSONType, default=list)  # item errors (first N)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[dict | None] = mapped_column(JSONType)  # why the run stopped
    requests: Mapped[int] = mapped_column(Integer, default=0)  # put on the wire to the ERP
    resume: Mapped[dict | None] = mapped_column(JSONType)  # {"sync": key, "token": {...}}
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_expires_at = mapped_column(UTCDateTime, nullable=True)
    enqueued_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime, nullable=True)
    finished_at = mapped_column(UTCDateTime, nullable=True)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 3)


class ExternalRef(db.Model):
    """Our id <-> the ERP's id, per integration and resource, unique both ways. `fingerprint`
    is a hash of the record as last pulled: an unchanged record is not written again."""

    __tablename__ = "external_refs"
    __table_args__ = (
        Index("uq_external_refs_external", "integration_id", "resource", "external_id",
              unique=True),
        Index("ix_external_refs_tenant", "tenant_id", "resource", "local_id"),
    )

    integration_id: Mapped[str] = mapped_column(ForeignKey("integrations.id"), primary_key=True)
    resource: Mapped[str] = mapped_column(String(20), primary_key=True)  # product, order, customer
    local_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    external_id: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class IntegrationPush(db.Model):
    """One change sent to the ERP (update_stock, create_order, create_invoice): what, why (the
    event that caused it, for reactions), the outcome and what the ERP answered."""

    __tablename__ = "integration_pushes"
    __table_args__ = (
        Index("ix_integration_pushes_integration_id", "integration_id", "id"),
        Index("ix_integration_pushes_due", "status", "next_attempt_at"),
        Index("uq_integration_pushes_event", "integration_id", "action", "source_event_id",
              unique=True, sqlite_where=text("source_event_id IS NOT NULL"),
              postgresql_where=text("source_event_id IS NOT NULL")),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("psh"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    integration_id: Mapped[str] = mapped_column(ForeignKey("integrations.id"))
    action: Mapped[str] = mapped_column(String(40))  # the connector's action key
    resource: Mapped[str] = mapped_column(String(20))  # product, order
    local_id: Mapped[str] = mapped_column(String(40))
    source_event_id: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at = mapped_column(UTCDateTime, nullable=True)
    lease_expires_at = mapped_column(UTCDateTime, nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(64))  # ERP id of what was made
    result: Mapped[dict | None] = mapped_column(JSONType)  # the action's output
    error: Mapped[dict | None] = mapped_column(JSONType)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at = mapped_column(UTCDateTime, nullable=True)


class IntegrationOAuthState(db.Model):
    """A pending OAuth authorization: single use, bound to its tenant and integration, short
    lived. Only a hash of the state travels to storage."""

    __tablename__ = "integration_oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    integration_id: Mapped[str] = mapped_column(ForeignKey("integrations.id"))
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(40))
    return_to: Mapped[str | None] = mapped_column(String(2000))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)
