"""An integration's status and the events its changes fire: `integration.connected`,
`integration.disconnected`, `integration.error` — once per transition, in the transaction that
makes it. Also the principal an integration writes as (its events carry its origin)."""
from __future__ import annotations

from markethub.connectors.sdk import ConnectorError

from ..auth.principal import Principal
from ..auth.scopes import ALL_SCOPES
from datetime import timedelta

from sqlalchemy import update

from ..db import utcnow, write_transaction
from ..models import Integration, IntegrationPush, Tenant
from ..services import audit, outbox

EVENTS = {"connected": "integration.connected", "disconnected": "integration.disconnected",
          "error": "integration.error"}


def event_data(integration: Integration) -> dict:
    error = integration.last_error
    return {"id": integration.id, "object": "integration", "provider": integration.provider,
            "name": integration.name, "status": integration.status,
            "error": None if error is None else {"code": error.get("code", "error"),
                                                 "message": error.get("message", "")},
            "updated_at": integration.updated_at.isoformat()}


def error_dict(error: ConnectorError) -> dict:
    """What the seller sees of a connector error: code, message and the ERP's own words."""
    return error.to_dict()


def integration_principal(session, integration: Integration) -> Principal:
    plan = session.get(Tenant, integration.tenant_id).plan
    return Principal(integration.tenant_id, plan, "integration", integration.id,
                     frozenset(ALL_SCOPES), origin=integration.origin)


def set_status(session, principal: Principal, integration: Integration, status: str,
               error: dict | None = None, label: str | None = None) -> bool:
    """Change the status (inside the caller's write transaction); True if it changed.

    Events fire on a change of status, and on a new error while already in `error`."""
    previous, previous_error = integration.status, integration.last_error
    now = utcnow()
    integration.status = status
    integration.last_error = error if status == "error" else None
    if label:
        integration.account_label = label
    if status == "connected" and previous != "connected":
        integration.connected_at = now
    changed = previous != status or (status == "error" and previous_error != error)
    if changed:
        integration.updated_at = now
        outbox.emit(session, principal, EVENTS[status], event_data(integration))
        if status == "connected":
            audit.record(session, principal, "integration.connected", "integration",
                         integration.id, {"provider": integration.provider,
                                          "account": integration.account_label})
    return changed


def schedule_next(integration: Integration, now) -> None:
    """When the next automatic sync is due (none in manual mode or when not connected)."""
    if integration.sync_mode != "automatic" or integration.status != "connected":
        integration.next_sync_at = None
    elif integration.last_sync_at is None:
        integration.next_sync_at = now
    else:
        interval = timedelta(minutes=integration.sync_interval_minutes)
        integration.next_sync_at = max(now, integration.last_sync_at + interval)


def mark_connected(principal: Principal, integration_id: str, label: str | None) -> None:
    """Credentials accepted: `connected`, the next automatic sync scheduled, and pushes that
    waited for the seller to reconnect due now."""
    now = utcnow()
    with write_transaction() as session:
        integration = session.get(Integration, integration_id)
        set_status(session, principal, integration, "connected", label=label)
        schedule_next(integration, now)
        session.execute(update(IntegrationPush).where(
            IntegrationPush.integration_id == integration_id,
            IntegrationPush.status == "pending").values(next_attempt_at=now))
