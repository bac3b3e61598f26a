"""Where the ERP's authorization page sends the seller's browser back (Bling OAuth 2.0).

Not an API call: no bearer token comes with it. The single-use `state` made by
POST /v1/integrations/{id}/oauth/start says which tenant and integration it is for; anything
else changes nothing. The browser is then sent back to the `return_to` given at the start, with
`integration`, `oauth` (connected | error) and, on error, `reason`.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, request

from ...extensions import limiter
from ...services.integration_runs import finish_authorization

callback_blp = Blueprint("integrations_oauth", __name__)

ARGS = ("state", "code", "error", "error_description")


@callback_blp.get("/integrations/oauth/callback")
@limiter.limit("300/minute", key_func=lambda: request.remote_addr or "unknown")
def oauth_callback():
    args = {name: request.args.get(name, type=str) for name in ARGS}
    args = {name: value[:2000] for name, value in args.items() if value}
    finished = finish_authorization(current_app.config["MH_SETTINGS"], args)
    answer = {"oauth": "connected" if finished.ok else "error"}
    if finished.integration_id:
        answer["integration"] = finished.integration_id
    if not finished.ok:
        answer["reason"] = finished.code
    joiner = "&" if "?" in finished.return_to else "?"
    response = redirect(finished.return_to + joiner + urlencode(answer), code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the code must not leak onwards
    return response
