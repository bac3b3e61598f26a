"""Connecting an ERP that uses the OAuth 2.0 authorization code (Bling).

1. `start`: a random `state` is stored server-side (hashed), bound to the tenant, the
   integration and who asked, valid for a few minutes, and the seller is sent to the ERP.
2. `finish` (the callback): the state is spent exactly once — an unknown, expired, used or
   forged state changes nothing — and the code is exchanged; the token pair is sealed and saved
   by the connector's credentials callback, then the integration is `connected`.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from markethub.connectors.sdk import AuthError, ConnectorError

from ..auth.principal import Principal
from ..db import utcnow, write_transaction
from ..errors import ValidationError
from ..extensions import db
from ..models import Integration, IntegrationOAuthState, Tenant
from ..settings import Settings
from . import engine, status
from .connections import connector_for, oauth_redirect_uri, open_integration

DEFAULT_RETURN = "/hub/integrations"


@dataclass(frozen=True)
class Finished:
    """Where to send the seller's browser back, and how it went."""
    return_to: str
    integration_id: str | None
    ok: bool
    code: str
    message: str


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def start(principal: Principal, settings: Settings, integration: Integration,
          return_to: str | None) -> str:
    """The URL of the ERP's authorization page for this integration."""
    if connector_for(integration.provider).auth.oauth2 is None:
        raise ValidationError(f"{integration.provider} does not connect through OAuth; send "
                              "its credentials instead.", code="oauth_not_supported")
    state, now = secrets.token_urlsafe(32), utcnow()
    with write_transaction() as session:
        session.add(IntegrationOAuthState(
            state_hash=_hash(state), tenant_id=principal.tenant_id, integration_id=integration.id,
            actor_type=principal.actor_type, actor_id=principal.actor_id,
            return_to=return_to or DEFAULT_RETURN, created_at=now,
            expires_at=now + timedelta(seconds=settings.erp_oauth_state_ttl_seconds)))
    with open_integration(settings, integration) as session:
        return session.authorize_url(state, oauth_redirect_uri(settings))


def _spend(state: str) -> IntegrationOAuthState | None:
    """The state's record if it was live and unused; it can never be used again."""
    now = utcnow()
    with write_transaction() as session:
        spent = session.execute(update(IntegrationOAuthState).where(
            IntegrationOAuthState.state_hash == _hash(state),
            IntegrationOAuthState.used_at.is_(None), IntegrationOAuthState.expires_at > now)
            .values(used_at=now))
        if spent.rowcount != 1:
            return None
        return session.get(IntegrationOAuthState, _hash(state))


def finish(settings: Settings, state: str | None, code: str | None,
           error: str | None = None, error_description: str | None = None) -> Finished:
    record = _spend(state) if state else None
    if record is None:
        return Finished(DEFAULT_RETURN, None, False, "invalid_state",
                        "This authorization link is unknown, expired or already used; start "
                        "the connection again.")
    integration = db.session.execute(select(Integration).where(
        Integration.id == record.integration_id, Integration.tenant_id == record.tenant_id,
        Integration.deleted_at.is_(None))).scalar()
    if integration is None:
        return Finished(record.return_to, None, False, "integration_not_found",
                        "The integration was deleted while it was being authorized.")
    if error or not code:
        return Finished(record.return_to, integration.id, False, error or "missing_code",
                        error_description or "The ERP did not authorize the connection.")
    return _exchange(settings, record, integration, code)


def _exchange(settings: Settings, record: IntegrationOAuthState, integration: Integration,
              code: str) -> Finished:
    try:
        with open_integration(settings, integration) as session:
            session.exchange_code(code, oauth_redirect_uri(settings))
            label = session.test()["label"]
    except AuthError as problem:
        engine.mark_error(integration.id, status.error_dict(problem))
        return Finished(record.return_to, integration.id, False, problem.code,
                        problem.erp_message or problem.message)
    except ConnectorError as problem:
        return Finished(record.return_to, integration.id, False, problem.code, problem.message)
    status.mark_connected(_principal(record), integration.id, label)
    return Finished(record.return_to, integration.id, True, "connected", label)


def _principal(record: IntegrationOAuthState) -> Principal:
    """Who started the authorization (audited as the one who connected)."""
    plan = db.session.get(Tenant, record.tenant_id).plan
    return Principal(record.tenant_id, plan, record.actor_type, record.actor_id,
                     origin="hub" if record.actor_type == "hub_user" else "api")
