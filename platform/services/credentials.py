"""API keys and OAuth clients: created with their secret shown once, revoked, audited."""
from __future__ import annotations

from sqlalchemy import select, update

from ..auth import secrets
from ..auth.principal import Principal, forget_client
from ..auth.scopes import unknown_scopes
from ..db import utcnow, write_transaction
from ..errors import NotFoundError, ValidationError
from ..extensions import db
from ..models import ApiKey, OAuthClient, RefreshToken
from . import audit


def _check(name: str, scopes: list[str]) -> str:
    name = (name or "").strip()
    problems = {}
    if not 1 <= len(name) <= 200:
        problems["name"] = ["Give a name of 1 to 200 characters."]
    if not scopes:
        problems["scopes"] = ["Choose at least one scope."]
    elif unknown_scopes(scopes):
        problems["scopes"] = [f"Unknown scopes: {', '.join(unknown_scopes(scopes))}."]
    if problems:
        raise ValidationError("The credential is not valid.", fields=problems)
    return name


def _create(principal: Principal, model, kind: str, name: str, scopes: list[str],
            **secret_columns):
    name = _check(name, scopes)
    with write_transaction() as session:
        row = model(tenant_id=principal.tenant_id, name=name, scopes=sorted(set(scopes)),
                    **secret_columns)
        session.add(row)
        session.flush()
        audit.record(session, principal, f"{kind}.created", kind, row.id,
                     {"name": name, "scopes": row.scopes})
    return row


def _revoke(principal: Principal, model, kind: str, row_id: str, on_revoke=None):
    with write_transaction() as session:
        row = session.execute(select(model).where(
            model.tenant_id == principal.tenant_id, model.id == row_id)).scalar()
        if row is None:
            raise NotFoundError(kind, row_id)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            if on_revoke:
                on_revoke(session, row)
            audit.record(session, principal, f"{kind}.revoked", kind, row.id, {"name": row.name})
    return row


def create_api_key(principal: Principal, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    raw = secrets.new_api_key()
    key = _create(principal, ApiKey, "api_key", name, scopes, prefix=raw[:12],
                  key_hash=secrets.digest(raw))
    return key, raw


def revoke_api_key(principal: Principal, key_id: str) -> ApiKey:
    return _revoke(principal, ApiKey, "api_key", key_id)


def create_oauth_client(principal: Principal, name: str,
                        scopes: list[str]) -> tuple[OAuthClient, str]:
    secret = secrets.new_client_secret()
    client = _create(principal, OAuthClient, "oauth_client", name, scopes,
                     secret_hash=secrets.digest(secret))
    return client, secret


def _revoke_refresh_tokens(session, client: OAuthClient) -> None:
    session.execute(update(RefreshToken).where(
        RefreshToken.client_id == client.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=client.revoked_at))


def revoke_oauth_client(principal: Principal, client_id: str) -> OAuthClient:
    """Revokes the client and its refresh tokens; its access tokens stop within seconds."""
    client = _revoke(principal, OAuthClient, "oauth_client", client_id, _revoke_refresh_tokens)
    forget_client(client_id)
    return client


def list_api_keys(tenant_id: str) -> list[ApiKey]:
    return list(db.session.execute(select(ApiKey).where(ApiKey.tenant_id == tenant_id)
                                   .order_by(ApiKey.id.desc())).scalars())


def list_oauth_clients(tenant_id: str) -> list[OAuthClient]:
    return list(db.session.execute(select(OAuthClient).where(OAuthClient.tenant_id == tenant_id)
                                   .order_by(OAuthClient.id.desc())).scalars())
