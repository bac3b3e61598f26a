"""The OAuth 2.0 token endpoints. Their bodies and errors follow RFC 6749, not our error shape."""
from flask import request
from ..blueprint import Blueprint

from ...auth.oauth_server import authorization_server
from ...extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/v1/auth", description=(
    "OAuth 2.0 client credentials. Create a client in the hub (Chaves de API), then exchange its "
    "id and secret for a JWT access token valid for 1 hour, sent as `Authorization: Bearer`."))

_TOKEN_RESPONSE = {"200": {
    "description": "Token issued",
    "content": {"application/json": {"schema": {"type": "object", "properties": {
        "access_token": {"type": "string"}, "token_type": {"type": "string", "example": "Bearer"},
        "expires_in": {"type": "integer", "example": 3600},
        "refresh_token": {"type": "string", "example": "mhrt_..."},
        "scope": {"type": "string", "example": "products:read orders:write"}}},
        "example": {"access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9...",
                    "token_type": "Bearer", "expires_in": 3600,
                    "refresh_token": "mhrt_3q2v...", "scope": "products:read orders:write"}}}},
    "400": {"description": "OAuth error: invalid_request, invalid_grant, invalid_scope, "
                           "unsupported_grant_type",
            "content": {"application/json": {"example": {
                "error": "invalid_grant", "error_description": "..."}}}},
    "401": {"description": "OAuth error: invalid_client"},
    "429": {"description": "Too many token requests for this client"},
}


def _form(properties: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "properties": properties, "required": required}}}}


_CLIENT_FIELDS = {
    "client_id": {"type": "string", "description": "Or use HTTP Basic authentication."},
    "client_secret": {"type": "string", "description": "Or use HTTP Basic authentication."},
}


def _client_key() -> str:
    """Rate-limit token requests per client, whichever way the client authenticates."""
    if request.authorization and request.authorization.username:
        return f"client:{request.authorization.username}"
    return f"client:{request.form.get('client_id') or request.remote_addr}"


def _token_limit() -> str:
    from flask import current_app

    return current_app.config["MH_SETTINGS"].rate_limit_token_endpoint


@blp.route("/token", methods=["POST"])
@limiter.limit(_token_limit, key_func=_client_key)
@blp.doc(security=[{"basicAuth": []}], requestBody=_form({
    "grant_type": {"type": "string", "enum": ["client_credentials", "refresh_token"]},
    "scope": {"type": "string", "description": "Space-separated; defaults to all the client's "
                                               "scopes.", "example": "products:read orders:read"},
    "refresh_token": {"type": "string", "description": "With grant_type=refresh_token."},
    **_CLIENT_FIELDS}, ["grant_type"]), responses=_TOKEN_RESPONSE)
def token():
    """Get an access token (client credentials)

    Authenticate the client with HTTP Basic (`client_id:client_secret`) or with `client_id` and
    `client_secret` in the form body. The response carries a JWT access token (1 hour) and a
    refresh token.
    """
    return authorization_server.create_token_response()


@blp.route("/refresh", methods=["POST"])
@limiter.limit(_token_limit, key_func=_client_key)
@blp.doc(security=[{"basicAuth": []}], requestBody=_form({
    "refresh_token": {"type": "string"}, **_CLIENT_FIELDS}, ["refresh_token"]),
    responses=_TOKEN_RESPONSE)
def refresh():
    """Exchange a refresh token for a new token pair

    Refresh tokens rotate: each works once. Presenting a used one again revokes every token of
    its family (it may have been stolen), and the client must ask for a new token.
    """
    return authorization_server.create_token_response()
