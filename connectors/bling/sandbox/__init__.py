"""A local, stateful simulator of the Bling API v3 (https://api.bling.com.br/Api/v3).

    create_app(seed=42, products=300, customers=60, orders=120, rate_limit=True, apps=None)
    serve(host="127.0.0.1", port=8701)
    python -m markethub.connectors.bling.sandbox --port 8701

Faithful to the official OpenAPI spec and developer.bling.com.br: OAuth 2.0 authorization code
(consent page, Basic-auth token endpoint, 60 s single-use codes, 6 h access tokens, rotating
refresh tokens), `{"data": ...}` answers, `{"error": {"type","message","description"}}`
errors, pages of at most 100 ending with a short or empty page, and 3 requests/s + 120,000/day
per account answered with Bling's 429 body. Test-only endpoints: see sandbox_kit/app.py, plus
POST /__sandbox/expire-tokens and POST /__sandbox/apps {"client_id","client_secret",
"redirect_uri"}.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request

from ...sandbox_kit.app import build_app, json_response
from ...sandbox_kit.limits import RateGroup, SlidingWindow
from ...sandbox_kit.server import serve as _serve
from . import oauth
from . import orders as order_routes
from . import products as product_routes
from .shapes import error, not_found
from .state import BlingState, OAuthApp

DEMO_APP = OAuthApp(client_id="markethub-demo", client_secret="markethub-demo-secret")
DEFAULT_PORT = 8701


@dataclass(frozen=True)
class BlingLimits:
    per_second: int = 3
    per_day: int = 120_000


def _limits(rate_limit) -> RateGroup | None:
    if rate_limit is False:
        return None
    limits = rate_limit if isinstance(rate_limit, BlingLimits) else BlingLimits()
    return RateGroup({"second": SlidingWindow(limits.per_second, 1.0),
                      "day": SlidingWindow(limits.per_day, 86400.0)})


def create_app(*, seed: int = 42, products: int = 300, customers: int = 60, orders: int = 120,
               rate_limit: bool | BlingLimits = True, apps: list[OAuthApp] | None = None,
               access_ttl: int = 21600):
    state = BlingState(seed=seed, products=products, customers=customers, orders=orders,
                       apps=apps or [DEMO_APP], access_ttl=access_ttl)
    state.limits = _limits(rate_limit)
    app = build_app(__name__, state)
    for blueprint in (oauth.blueprint, product_routes.blueprint, order_routes.blueprint):
        app.register_blueprint(blueprint)
    _test_endpoints(app, state)
    app.register_error_handler(404, lambda _exc: not_found())
    app.register_error_handler(405, lambda _exc: error(
        405, "METHOD_NOT_ALLOWED", "Método não permitido",
        f"O método {request.method} não é permitido para este recurso."))
    return app


def _test_endpoints(app, state: BlingState) -> None:
    @app.post("/__sandbox/expire-tokens")
    def expire_tokens():
        with state.lock:
            for record in state.access_tokens.values():
                record["expires"] = state.clock() - 1
        return Response(status=204)

    @app.post("/__sandbox/apps")
    def register_app():
        body = request.get_json(force=True)
        with state.lock:
            state.apps[body["client_id"]] = OAuthApp(
                client_id=body["client_id"], client_secret=body["client_secret"],
                name=body.get("name", "MarketHub Integrações"),
                redirect_uri=body.get("redirect_uri"))
        return json_response({"client_id": body["client_id"]}, 201)


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, app=None, **options) -> None:
    _serve(app or create_app(**options), host, port, "Bling v3")
