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


def create_api_key(principal: Principal, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    name = _check(name, scopes)
    raw = secrets.new_api_key()
    with write_transaction() as session:
        key = ApiKey(tenant_id=principal.tenant_id, name=name, scopes=sorted(set(scopes)),
                     prefix=raw[:12], key_hash=secrets.digest(raw))
        session.add(key)
        session.flush()
        audit.record(session, principal, "api_key.created", "api_key", key.id,
                     {"name": name, "scopes": key.scopes})
    return key, raw


def revoke_api_key(principal: Principal, key_id: str) -> ApiKey:
    with write_transaction() as session:
        key = session.execute(select(ApiKey).where(
            ApiKey.tenant_id == principal.tenant_id, ApiKey.id == key_id)).scalar()
        if key is None:
            raise NotFoundError("api_key", key_id)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            audit.record(session, principal, "api_key.revoked", "api_key", key.id,
                         {"name": key.name})
    return key


def create_oauth_client(principal: Principal, name: str,
                        scopes: list[str]) -> tuple[OAuthClient, str]:
    name = _check(name, scopes)
    secret = secrets.new_client_secret()
    with write_transaction() as session:
        client = OAuthClient(tenant_id=principal.tenant_id, name=name,
                             scopes=sorted(set(scopes)), secret_hash=secrets.digest(secret))
        session.add(client)
        session.flush()
        audit.record(session, principal, "oauth_client.created", "oauth_client", client.id,
                     {"name": name, "scopes": client.scopes})
    return client, secret


def revoke_oauth_client(principal: Principal, client_id: str) -> OAuthClient:
    """Revokes the client and its refresh tokens; its access tokens stop within seconds."""
    with write_transaction() as session:
        client = session.execute(select(OAuthClient).where(
            OAuthClient.tenant_id == principal.tenant_id, OAuthClient.id == client_id)).scalar()
        if client is None:
            raise NotFoundError("oauth_client", client_id)
        if client.revoked_at is None:
            now = utcnow()
            client.revoked_at = now
            session.execute(update(RefreshToken).where(
                RefreshToken.client_id == client.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=now))
            audit.record(session, principal, "oauth_client.revoked", "oauth_client", client.id,
                         {"name": client.name})
    forget_client(client_id)
    return client


def list_api_keys(tenant_id: str) -> list[ApiKey]:
    return list(db.session.execute(select(ApiKey).where(ApiKey.tenant_id == tenant_id)
                                   .order_by(ApiKey.id.desc())).scalars())


def list_oauth_clients(tenant_id: str) -> list[OAuthClient]:
    return list(db.session.execute(select(OAuthClient).where(OAuthClient.tenant_id == tenant_id)
                                   .order_by(OAuthClient.id.desc())).scalars())
