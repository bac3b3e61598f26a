"""Bling API v3 authentication: OAuth 2.0 authorization code with rotating refresh tokens.

(The seed's `apiKey` belonged to Bling API v2, which Bling has discontinued.)

1. The platform sends the seller to `authorize_url(config, client_id, state)`.
2. Bling redirects back with `?code=...&state=...` (the code lives ~1 minute, single use).
3. `exchange_code` trades it for an access token (6 h) and a refresh token; every refresh
   returns a *new* refresh token — the client hands each new pair to the platform through the
   session's `on_credentials` callback, which must persist it.
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from ..sdk import fields as f
from ..sdk.context import Context
from ..sdk.spec import Auth, OAuth2

SCHEMA = f.document({
    "client_id": f.text("Client ID", "From the app registered in Bling's Central de "
                        "Extensões.", min_length=1, max_length=200),
    "client_secret": f.text("Client Secret", min_length=1, max_length=200),
    "access_token": f.text("Access token", "Filled in by the OAuth authorization."),
    "refresh_token": f.text("Refresh token", "Filled in by the OAuth authorization."),
    "expires_at": f.timestamp("Access token expiry"),
    "company_id": f.text("Bling company id", "Filled in when the account is connected."),
}, ["client_id", "client_secret"], title="Bling API v3 (OAuth 2.0)",
    secret=("client_secret", "access_token", "refresh_token"))


def authorize_url(config: Mapping, client_id: str, state: str, redirect_uri: str | None) -> str:
    params = {"response_type": "code", "client_id": client_id, "state": state}
    if redirect_uri:  # Bling uses the app's registered URL; the sandbox accepts a matching one
        params["redirect_uri"] = redirect_uri
    return f"{config['authorize_url']}?{urlencode(params)}"


def exchange_code(ctx: Context, code: str, redirect_uri: str | None) -> dict:
    tokens = ctx.client.exchange_code(code, redirect_uri)
    company = test(ctx)
    ctx.save_credentials({"company_id": company["company_id"]})
    return tokens


def test(ctx: Context) -> dict:
    """Bad credentials raise AuthError; an unreachable Bling raises RetryableError."""
    company = ctx.client.call("GET", "empresas/me/dados-basicos")["data"]
    return {"label": company.get("nome") or "Bling", "company_id": str(company.get("id", ""))}


AUTH = Auth(kind="oauth2", schema=SCHEMA, test=test, identity=("client_id", "company_id"),
            oauth2=OAuth2(authorize_url=authorize_url, exchange_code=exchange_code))
