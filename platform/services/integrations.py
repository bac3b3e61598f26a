"""ERP integrations: connect, change, test, disconnect and delete — what the API and the hub call.

Credentials are checked against the connector's auth JSON Schema, sealed (AES-256-GCM, bound to
the integration's id), masked on every read, kept when the mask comes back, never logged or
audited. Connecting tests them: bad credentials put the integration in `error` (with
`integration.error`); an unreachable ERP is reported without blaming the credentials.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from markethub.connectors.sdk import AuthError, ConnectorError
from markethub.connectors.sdk.credentials import mask

from ..auth.principal import Principal
from ..db import utcnow, write_transaction
from ..errors import ConflictError, NotFoundError, ValidationError
from ..extensions import db
from ..ids import new_id
from ..integrations import checks, connections, engine, status
from ..models import Integration, IntegrationPush
from ..models.integration import PROVIDERS
from ..settings import Settings
from . import audit

REACTIONS = checks.REACTIONS
SETTINGS_FIELDS = ("name", "sync_mode", "sync_interval_minutes", "push_stock", "create_orders",
                   "config")


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    status: str  # the integration's status afterwards
    label: str | None = None
    error: dict | None = None


def represent(settings: Settings, integration: Integration) -> dict:
    """The integration as the API and the hub show it: secrets masked."""
    connector = connections.connector_for(integration.provider)
    stored = connections.stored_credentials(settings, integration)
    return {
        "id": integration.id, "object": "integration", "provider": integration.provider,
        "name": integration.name, "status": integration.status, "error": integration.last_error,
        "account_label": integration.account_label, "auth_kind": connector.auth.kind,
        "credentials": mask(connector.auth.schema, stored),
        "sync_mode": integration.sync_mode,
        "sync_interval_minutes": integration.sync_interval_minutes,
        "reactions": {flag: getattr(integration, flag) for flag in REACTIONS},
        "config": integration.config or {},
        "last_sync_at": integration.last_sync_at, "next_sync_at": integration.next_sync_at,
        "connected_at": integration.connected_at, "created_at": integration.created_at,
        "updated_at": integration.updated_at,
    }


def list_statement(principal: Principal):
    return select(Integration).where(Integration.tenant_id == principal.tenant_id,
                                     Integration.deleted_at.is_(None))


def get_integration(principal: Principal, integration_id: str) -> Integration:
    integration = db.session.execute(list_statement(principal).where(
        Integration.id == integration_id)).scalar()
    if integration is None:
        raise NotFoundError("integration", integration_id)
    return integration


def _locked(session, principal: Principal, integration_id: str) -> Integration:
    integration = session.execute(list_statement(principal).where(
        Integration.id == integration_id).with_for_update()).scalar()
    if integration is None:
        raise NotFoundError("integration", integration_id)
    return integration


def _settings_values(data: dict) -> dict:
    values = {name: data[name] for name in SETTINGS_FIELDS if name in data}
    values.update(data.get("reactions") or {})
    return values


def create_integration(principal: Principal, settings: Settings, data: dict,
                       verify: bool = True) -> Integration:
    """Store and (unless OAuth) test the credentials. `verify=False` is for operators seeding
    known-good credentials (the demo's sandboxes): connected without asking the ERP."""
    provider = data["provider"]
    if provider not in PROVIDERS:
        raise ValidationError(f"Unknown ERP '{provider}'.", code="unknown_provider",
                              fields={"provider": [f"One of: {', '.join(PROVIDERS)}."]})
    connector = connections.connector_for(provider)
    values = _settings_values(data)
    checks.reactions(provider, values)
    config = checks.config(provider, values.pop("config", {}))
    credentials = checks.credentials(settings, provider, {}, data.get("credentials") or {})
    integration_id, now = new_id("int"), utcnow()
    with write_transaction() as session:
        integration = Integration(
            id=integration_id, tenant_id=principal.tenant_id, provider=provider,
            name=values.pop("name", None) or connector.label, status="disconnected",
            config=config, checkpoints={}, created_at=now, updated_at=now,
            credentials_sealed=connections.seal_credentials(settings, integration_id,
                                                            credentials), **values)
        session.add(integration)
        audit.record(session, principal, "integration.created", "integration", integration_id,
                     {"provider": provider, "name": integration.name,
                      "credential_fields": sorted(credentials)})
    if connector.auth.oauth2 is None:  # OAuth ERPs connect through start_authorization
        if verify:
            _verify(principal, settings, integration_id)
        else:
            status.mark_connected(principal, integration_id, None)
    return get_integration(principal, integration_id)


def update_integration(principal: Principal, settings: Settings, integration_id: str,
                       data: dict) -> Integration:
    """Fields left out keep their values; credentials sent back masked keep their secrets."""
    integration = get_integration(principal, integration_id)
    if data.get("provider", integration.provider) != integration.provider:
        raise ValidationError("An integration's ERP cannot change; create another one.",
                              fields={"provider": ["Cannot change."]})
    values = _settings_values(data)
    checks.reactions(integration.provider, {flag: values.get(flag, getattr(integration, flag))
                                            for flag in REACTIONS})
    if "config" in values:
        checks.config(integration.provider, values["config"])
    stored = connections.stored_credentials(settings, integration)
    new_credentials = None
    if "credentials" in data:
        new_credentials = checks.credentials(settings, integration.provider, stored,
                                             data["credentials"])
    credentials_changed = new_credentials is not None and new_credentials != stored
    with write_transaction() as session:
        integration = _locked(session, principal, integration_id)
        changed = [name for name, value in values.items() if getattr(integration, name) != value]
        for name in changed:
            setattr(integration, name, values[name])
        if credentials_changed:
            integration.credentials_sealed = connections.seal_credentials(
                settings, integration.id, new_credentials)
            changed.append("credentials")
        if changed:
            integration.updated_at = utcnow()
            status.schedule_next(integration, utcnow())
            audit.record(session, principal, "integration.updated", "integration",
                         integration.id, {"changed": sorted(changed)})
    if credentials_changed:
        _after_new_credentials(principal, settings, integration_id)
    return get_integration(principal, integration_id)


def _after_new_credentials(principal: Principal, settings: Settings, integration_id: str) -> None:
    integration = get_integration(principal, integration_id)
    auth = connections.connector_for(integration.provider).auth
    if auth.oauth2 is None:
        _verify(principal, settings, integration_id)
    elif not connections.stored_credentials(settings, integration).get("refresh_token"):
        disconnect_integration(principal, settings, integration_id)  # a new app


def delete_integration(principal: Principal, integration_id: str) -> None:
    """Disconnects (`integration.disconnected`), forgets the credentials, cancels what was
    waiting to be pushed; runs and pushes stay in the log."""
    now = utcnow()
    with write_transaction() as session:
        integration = _locked(session, principal, integration_id)
        status.set_status(session, principal, integration, "disconnected")
        integration.deleted_at = integration.updated_at = now
        integration.credentials_sealed, integration.next_sync_at = None, None
        session.execute(update(IntegrationPush).where(
            IntegrationPush.integration_id == integration_id,
            IntegrationPush.status == "pending").values(
            status="failed", finished_at=now, updated_at=now, next_attempt_at=None,
            error={"code": "integration_deleted", "message": "The integration was deleted."}))
        audit.record(session, principal, "integration.deleted", "integration", integration_id,
                     {"provider": integration.provider, "name": integration.name})


def disconnect_integration(principal: Principal, settings: Settings,
                           integration_id: str) -> Integration:
    """Stops syncs and pushes (`integration.disconnected`). OAuth tokens are forgotten; other
    credentials are kept, so connect_integration can use them again."""
    with write_transaction() as session:
        integration = _locked(session, principal, integration_id)
        auth = connections.connector_for(integration.provider).auth
        if auth.oauth2 is not None:
            schema = auth.schema
            kept = {name: value for name, value in
                    connections.stored_credentials(settings, integration).items()
                    if name in schema.get("required", ())}
            integration.credentials_sealed = connections.seal_credentials(
                settings, integration.id, kept)
        if status.set_status(session, principal, integration, "disconnected"):
            audit.record(session, principal, "integration.disconnected", "integration",
                         integration.id, {"provider": integration.provider})
        status.schedule_next(integration, utcnow())
    return get_integration(principal, integration_id)


def connect_integration(principal: Principal, settings: Settings,
                        integration_id: str) -> ConnectionCheck:
    """Connect with the stored credentials (OAuth ERPs: use start_authorization instead)."""
    integration = get_integration(principal, integration_id)
    if connections.connector_for(integration.provider).auth.oauth2 is not None:
        raise ConflictError("This ERP connects through its authorization page: start it with "
                            "POST /v1/integrations/{id}/oauth/start.", code="oauth_required")
    return _verify(principal, settings, integration_id)


def test_integration(principal: Principal, settings: Settings, integration_id: str,
                     credentials: dict | None = None) -> ConnectionCheck:
    """Check credentials — the stored ones, or `credentials` over them (not saved). The stored
    ones failing put the integration in `error`; passing take it out of `error`."""
    integration = get_integration(principal, integration_id)
    if credentials is None:
        return _verify(principal, settings, integration_id, only_if_error=True)
    stored = connections.stored_credentials(settings, integration)
    trial = checks.credentials(settings, integration.provider, stored, credentials)
    values = {**connections.platform_credentials(settings, integration.provider), **trial}
    try:
        with connections.open_integration(settings, integration, values) as session:
            label = session.test()["label"]
    except ConnectorError as error:
        return ConnectionCheck(False, integration.status, error=status.error_dict(error))
    return ConnectionCheck(True, integration.status, label=label)


def _verify(principal: Principal, settings: Settings, integration_id: str,
            only_if_error: bool = False) -> ConnectionCheck:
    integration = get_integration(principal, integration_id)
    try:
        with connections.open_integration(settings, integration) as session:
            label = session.test()["label"]
    except AuthError as error:
        engine.mark_error(integration_id, status.error_dict(error), principal)
        return ConnectionCheck(False, "error", error=status.error_dict(error))
    except ConnectorError as error:  # unreachable, rate limited: the credentials may be fine
        if integration.status != "connected":  # connecting failed: say why on the integration
            engine.mark_error(integration_id, status.error_dict(error), principal)
        return ConnectionCheck(False, get_integration(principal, integration_id).status,
                          error=status.error_dict(error))
    if not only_if_error or integration.status == "error":
        status.mark_connected(principal, integration_id, label)
    return ConnectionCheck(True, get_integration(principal, integration_id).status, label=label)
