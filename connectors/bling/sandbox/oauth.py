"""Bling's OAuth 2.0 authorization-code flow, as documented on developer.bling.com.br:

- GET  /Api/v3/oauth/authorize?response_type=code&client_id=..&state=..  -> consent page;
  approving redirects to the app's registered URL with ?code=..&state=.. (denying: ?error=..)
- POST /Api/v3/oauth/token  (Basic client auth; grant_type=authorization_code | refresh_token)
  codes live 60 s and are single-use — re-using a still-valid code revokes what it issued;
  access tokens live 6 h; every refresh rotates the refresh token (the old one dies);
  header `enable-jwt: 1` issues JWT-shaped access tokens (2026 migration).
- POST /Api/v3/oauth/revoke
"""
from __future__ import annotations

import base64
import html
import json
import secrets
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request

from ...sandbox_kit.app import json_response, state
from .shapes import error
from .state import COMPANY

blueprint = Blueprint("bling_oauth", __name__, url_prefix="/Api/v3/oauth")

PAGE = """<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>Bling — Autorizar aplicativo</title></head><body>
<h1>Autorizar acesso</h1>
<p>O aplicativo <strong>{app}</strong> está solicitando acesso aos dados da empresa
<strong>{company}</strong>.</p>
<form method="post">
<input type="hidden" name="client_id" value="{client_id}">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="redirect_uri" value="{redirect_uri}">
<button type="submit" name="decision" value="allow" id="autorizar">Autorizar</button>
<button type="submit" name="decision" value="deny" id="cancelar">Cancelar</button>
</form></body></html>"""


def _oauth_error(status: int, kind: str, description: str) -> Response:
    return error(status, kind, kind, description)


def _html(status: int, text: str) -> Response:
    return Response(f"<!doctype html><html><body><p>{html.escape(text)}</p></body></html>",
                    status=status, content_type="text/html; charset=utf-8")


def _redirect_target(app, given: str | None) -> str | None:
    if app.redirect_uri and given and given != app.redirect_uri:
        return None
    return app.redirect_uri or given


@blueprint.route("/authorize", methods=["GET", "POST"])
def authorize():
    values = request.values
    app = state().apps.get(values.get("client_id", ""))
    if app is None:
        return _html(400, "Aplicativo não encontrado (client_id inválido).")
    target = _redirect_target(app, values.get("redirect_uri"))
    if target is None:
        return _html(400, "O redirect_uri não confere com o cadastrado no aplicativo.")
    if request.method == "GET":
        if values.get("response_type") != "code":
            return _back(target, {"error": "unsupported_response_type",
                                  "error_description": "response_type deve ser code",
                                  "state": values.get("state", "")})
        return Response(PAGE.format(app=html.escape(app.name), company=html.escape(COMPANY["nome"]),
                                    client_id=html.escape(app.client_id),
                                    state=html.escape(values.get("state", "")),
                                    redirect_uri=html.escape(values.get("redirect_uri", ""))),
                        content_type="text/html; charset=utf-8")
    if values.get("decision") != "allow":
        return _back(target, {"error": "access_denied",
                              "error_description": "O usuário negou o acesso.",
                              "state": values.get("state", "")})
    code = secrets.token_hex(20)
    with state().lock:
        sandbox = state()
        sandbox.codes[code] = {"client_id": app.client_id, "used": False, "tokens": [],
                               "expires": sandbox.clock() + sandbox.code_ttl}
    return _back(target, {"code": code, "state": values.get("state", "")})


def _back(target: str, params: dict) -> Response:
    joiner = "&" if "?" in target else "?"
    return redirect(target + joiner + urlencode(params), code=302)


def _client():
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
    else:  # community clients send them in the body
        client_id, secret = request.form.get("client_id", ""), request.form.get("client_secret", "")
    app = state().apps.get(client_id)
    return app if app and secrets.compare_digest(app.client_secret, secret) else None


@blueprint.post("/token")
def token():
    with state().lock:
        app = _client()
        if app is None:
            return _oauth_error(401, "invalid_client", "The client credentials are invalid")
        grant = request.form.get("grant_type")
        if grant == "authorization_code":
            return _grant_code(app, request.form.get("code", ""))
        if grant == "refresh_token":
            return _grant_refresh(app, request.form.get("refresh_token", ""))
        return _oauth_error(400, "unsupported_grant_type",
                            "The grant type was not recognized by the authorization server")


def _grant_code(app, code: str) -> Response:
    sandbox = state()
    record = sandbox.codes.get(code)
    if record is None or record["client_id"] != app.client_id:
        return _oauth_error(400, "invalid_grant",
                            "Authorization code doesn't exist or is invalid for the client")
    if record["expires"] <= sandbox.clock():
        return _oauth_error(400, "invalid_grant", "The authorization code has expired")
    if record["used"]:
        for issued in record["tokens"]:  # re-use of a live code revokes the user's access
            sandbox.access_tokens.pop(issued["access"], None)
            sandbox.refresh_tokens.pop(issued["refresh"], None)
        return error(400, "VALIDATION_ERROR", "Invalid authorization code",
                     "O código de autorização já foi utilizado.")
    record["used"] = True
    pair = _issue(app)
    record["tokens"].append(pair)
    return _token_answer(pair)


def _grant_refresh(app, refresh: str) -> Response:
    sandbox = state()
    record = sandbox.refresh_tokens.get(refresh)
    if record is None or record["client_id"] != app.client_id:
        return _oauth_error(400, "invalid_grant", "Invalid refresh token")
    if record["expires"] <= sandbox.clock():
        sandbox.refresh_tokens.pop(refresh)
        return _oauth_error(400, "invalid_grant", "Refresh token has expired")
    sandbox.refresh_tokens.pop(refresh)  # rotation: the old refresh token dies now
    sandbox.access_tokens.pop(record["access"], None)
    return _token_answer(_issue(app))


def _access_token() -> str:
    if request.headers.get("enable-jwt") == "1":
        def part(data: dict) -> str:
            raw = json.dumps(data, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        claims = {"iss": "bling-sandbox", "sub": COMPANY["id"], "jti": secrets.token_hex(16)}
        return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_urlsafe(32)}"
    return secrets.token_hex(20)


def _issue(app) -> dict:
    sandbox = state()
    access, refresh = _access_token(), secrets.token_hex(20)
    now = sandbox.clock()
    sandbox.access_tokens[access] = {"client_id": app.client_id,
                                     "expires": now + sandbox.access_ttl}
    sandbox.refresh_tokens[refresh] = {"client_id": app.client_id, "access": access,
                                       "expires": now + sandbox.refresh_ttl}
    return {"access": access, "refresh": refresh}


def _token_answer(pair: dict) -> Response:
    return json_response({"access_token": pair["access"], "expires_in": state().access_ttl,
                          "token_type": "Bearer", "scope": "98309 318257570",
                          "refresh_token": pair["refresh"]})


@blueprint.post("/revoke")
def revoke():
    with state().lock:
        if _client() is None:
            return _oauth_error(401, "invalid_client", "The client credentials are invalid")
        value = request.form.get("token", "")
        record = state().refresh_tokens.pop(value, None)
        if record:
            state().access_tokens.pop(record["access"], None)
        state().access_tokens.pop(value, None)
    return Response(status=200)


def check_bearer() -> Response | None:
    """None when the request carries a live access token, else Bling's error answer."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        return _oauth_error(400, "invalid_request", "Malformed auth header")
    record = state().access_tokens.get(header[7:].strip())
    if record is None:
        return _oauth_error(401, "invalid_token", "The access token provided is invalid")
    if record["expires"] <= state().clock():
        return _oauth_error(401, "invalid_token", "The access token provided has expired")
    return None
