"""OAuth 2.0 token endpoint with authlib: client credentials (RFC 6749 §4.4) and refresh tokens.

Access tokens are JWTs (see jwt_tokens.py). Refresh tokens are random, stored hashed, rotate on
every use, and reusing a rotated one revokes its whole family (the OAuth 2.0 Security BCP's
answer to a stolen refresh token).
"""
from __future__ import annotations

import re
from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Payload, FlaskOAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidGrantError, InvalidScopeError
from authlib.oauth2.rfc6749.util import scope_to_list
from flask import current_app, request
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from ..db import utcnow, write_transaction
from ..extensions import db
from ..ids import new_id
from ..models import OAuthClient, RefreshToken
from . import secrets
from .jwt_tokens import issue_access_token
from .scopes import ALL_SCOPES

TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class ClientAdapter(ClientMixin):
    """Presents our OAuthClient row to authlib."""

    def __init__(self, row: OAuthClient):
        self.row = row

    def get_client_id(self):
        return self.row.id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        allowed = set(self.row.scopes)
        if not scope:
            return " ".join(sorted(allowed))
        return " ".join(s for s in scope_to_list(scope) if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return secrets.matches(client_secret, self.row.secret_hash)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in TOKEN_AUTH_METHODS

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type in ("client_credentials", "refresh_token")


_CLIENT_ID = re.compile(r"[A-Za-z0-9_]{1,40}")


def _query_client(client_id):
    # Not even looked up unless it looks like an id: a NUL byte would crash PostgreSQL.
    row = db.session.get(OAuthClient, client_id) if _CLIENT_ID.fullmatch(client_id or "") else None
    return ClientAdapter(row) if row is not None and row.active else None


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS

    def validate_requested_scope(self):
        super().validate_requested_scope()
        requested = set(scope_to_list(self.request.payload.scope) or [])
        if requested - set(self.request.client.row.scopes):
            raise InvalidScopeError(description="The client is not allowed some requested scopes.")


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        row = db.session.execute(select(RefreshToken).where(
            RefreshToken.token_hash == secrets.digest(refresh_token))).scalar_one_or_none()
        if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
            return None
        if row.rotated_at is not None:
            _revoke_family(row.family_id)
            return None
        return _RefreshCredential(row)

    def authenticate_user(self, credential):
        return self.request.client  # client credentials: the client is the subject

    def revoke_old_credential(self, credential):
        pass  # done in save_token, in the same transaction as the new token


class _RefreshCredential:
    def __init__(self, row: RefreshToken):
        self.row = row

    def check_client(self, client):
        return client.get_client_id() == self.row.client_id

    def get_scope(self):
        return self.row.scope


def _revoke_family(family_id: str) -> None:
    with write_transaction() as session:
        session.execute(update(RefreshToken).where(RefreshToken.family_id == family_id,
                                                   RefreshToken.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))


def _generate_token(grant_type, client, user=None, scope=None, expires_in=None,
                    include_refresh_token=True):
    settings = current_app.config["MH_SETTINGS"]
    scope = client.get_allowed_scope(scope)
    access = issue_access_token(settings.jwt_secret, tenant_id=client.row.tenant_id,
                                client_id=client.row.id, scope=scope,
                                ttl_seconds=settings.access_token_ttl_seconds)
    return {"token_type": "Bearer", "access_token": access,
            "expires_in": settings.access_token_ttl_seconds, "scope": scope,
            "refresh_token": secrets.new_refresh_token()}


def _save_token(token, oauth_request):
    settings = current_app.config["MH_SETTINGS"]
    client = oauth_request.client.row
    previous = getattr(oauth_request, "refresh_token", None)
    now = utcnow()
    with write_transaction() as session:
        if previous is not None:
            rotated = session.execute(
                update(RefreshToken).where(RefreshToken.id == previous.row.id,
                                           RefreshToken.rotated_at.is_(None))
                .values(rotated_at=now)).rowcount
            if rotated != 1:  # a concurrent refresh won the race: this one is a reuse
                raise InvalidGrantError("The refresh token was already used.")
        session.add(RefreshToken(
            tenant_id=client.tenant_id, client_id=client.id,
            family_id=previous.row.family_id if previous else new_id("rtf"),
            token_hash=secrets.digest(token["refresh_token"]), scope=token["scope"],
            expires_at=now + timedelta(days=settings.refresh_token_ttl_days)))
        session.execute(update(OAuthClient).where(OAuthClient.id == client.id)
                        .values(last_used_at=now))


class _RefreshPayload(FlaskOAuth2Payload):
    """`/v1/auth/refresh` implies grant_type=refresh_token."""

    @property
    def data(self):
        values = MultiDict(self._request.values)
        values.setdefault("grant_type", "refresh_token")
        return values


class MarketHubAuthorizationServer(AuthorizationServer):
    def create_oauth2_request(self, flask_request):
        oauth_request = FlaskOAuth2Request(request)
        if request.endpoint and request.endpoint.endswith("refresh"):
            oauth_request.payload = _RefreshPayload(request)
        return oauth_request

    def handle_error_response(self, request, error):
        # authlib answers 400 when the client authenticated in the form body; RFC 6749 §5.2
        # allows 401 either way, and one status for "bad client credentials" is what we document.
        if isinstance(error, InvalidClientError):
            error.status_code = 401
        return super().handle_error_response(request, error)


authorization_server = MarketHubAuthorizationServer()


def init_oauth(app) -> None:
    app.config["OAUTH2_SCOPES_SUPPORTED"] = list(ALL_SCOPES)
    authorization_server.init_app(app, query_client=_query_client, save_token=_save_token)
    authorization_server.register_token_generator("default", _generate_token)
    authorization_server.register_grant(ClientCredentialsGrant)
    authorization_server.register_grant(RefreshTokenGrant)
