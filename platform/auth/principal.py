"""Who is calling: resolved once per request from a JWT or an API key, then cached on `g`."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import select, update

from ..db import autocommit_reads, utcnow, write_transaction
from ..errors import AuthenticationError, ScopeError
from ..extensions import db
from ..models import ApiKey, OAuthClient, Tenant
from . import secrets
from .jwt_tokens import InvalidAccessToken, decode_access_token

LAST_USED_RESOLUTION = timedelta(minutes=5)
CLIENT_STATUS_TTL_SECONDS = 5.0


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    plan: str
    actor_type: str  # api_key, oauth_client, hub_user, cli, integration
    actor_id: str | None
    scopes: frozenset = field(default_factory=frozenset)
    origin: str = "api"  # tags the events this principal's changes emit

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


_client_status: dict[str, tuple[float, bool, str]] = {}


def _client_active_and_plan(client_id: str) -> tuple[bool, str]:
    """A revoked client's tokens stop working within CLIENT_STATUS_TTL_SECONDS."""
    cached = _client_status.get(client_id)
    if cached and cached[0] > time.monotonic():
        return cached[1], cached[2]
    autocommit_reads()
    row = db.session.execute(
        select(OAuthClient.revoked_at, Tenant.plan)
        .join(Tenant, Tenant.id == OAuthClient.tenant_id)
        .where(OAuthClient.id == client_id)
    ).first()
    active, plan = (row is not None and row.revoked_at is None), (row.plan if row else "starter")
    _client_status[client_id] = (time.monotonic() + CLIENT_STATUS_TTL_SECONDS, active, plan)
    return active, plan


def forget_client(client_id: str) -> None:
    _client_status.pop(client_id, None)


def _from_api_key(raw_key: str) -> Principal:
    # No transaction: a write later in the request begins its own (a read transaction would
    # only add BEGIN and ROLLBACK, and the ROLLBACK drops psycopg's prepared statements).
    autocommit_reads()
    row = db.session.execute(
        select(ApiKey, Tenant.plan).join(Tenant, Tenant.id == ApiKey.tenant_id)
        .where(ApiKey.key_hash == secrets.digest(raw_key))
    ).first()
    if row is None or row.ApiKey.revoked_at is not None:
        raise AuthenticationError("The API key is invalid or has been revoked.",
                                  code="invalid_api_key")
    key = row.ApiKey
    principal = Principal(key.tenant_id, row.plan, "api_key", key.id, frozenset(key.scopes))
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        _touch_api_key(key.id, now)
    return principal


def _touch_api_key(key_id: str, now) -> None:
    # A write transaction of its own: upgrading this request's read transaction to a write
    # fails at once with "database is locked" on SQLite when other requests write.
    with write_transaction() as session:
        session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


def _from_jwt(token: str) -> Principal:
    try:
        claims = decode_access_token(current_app.config["MH_SETTINGS"].jwt_secret, token)
    except InvalidAccessToken:
        raise AuthenticationError("The access token is invalid or has expired.",
                                  code="invalid_token") from None
    active, plan = _client_active_and_plan(claims["sub"])
    if not active:
        raise AuthenticationError("The OAuth client of this token has been revoked.",
                                  code="invalid_token")
    return Principal(claims["tid"], plan, "oauth_client", claims["sub"],
                     frozenset(claims.get("scope", "").split()))


def authenticate() -> Principal:
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise AuthenticationError(
            "Send 'Authorization: Bearer <access token or API key>'.",
            code="authentication_required", error="invalid_request")
    credential = credential.strip()
    if credential.startswith(secrets.API_KEY_PREFIX):
        principal = _from_api_key(credential)
    else:
        principal = _from_jwt(credential)
    g.principal = principal
    return principal


def require_scope(scope: str):
    """Decorate an API view: authenticates the caller and checks that it holds `scope`."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate()
            if not principal.has_scope(scope):
                raise ScopeError(scope)
            return view(*args, **kwargs)
        wrapper.required_scope = scope
        return wrapper
    return decorator
