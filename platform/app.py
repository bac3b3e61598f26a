"""create_app(settings): configuration, extensions, blueprints, error handlers. Wiring only."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import errors
from .api import idempotency, routes as api_routes
from .api.errors_doc import register_shared_responses
from .auth.oauth_server import init_oauth
from .db import configure_engine
from .events import wakeup
from .extensions import api, csrf, db, limiter, migrate
from .json_provider import ExactJSONProvider
from .ratelimit.storage import storage_uri
from .security_headers import init_security_headers
from .request_log import configure_logging, init_rate_limit_headers, init_request_hooks
from .settings import Settings

HERE = Path(__file__).resolve().parent
API_DESCRIPTION = (HERE / "api" / "README.md").read_text(encoding="utf-8")


def _config(app: Flask, settings: Settings) -> None:
    app.config.update(
        MH_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS={} if settings.is_sqlite else {
            "pool_recycle": 1800,
            # Sessions in UTC: timestamps come back in UTC whatever the server's zone is, and
            # psycopg hands them over with the cheap fixed-offset timezone.utc.
            "connect_args": {"options": "-c TimeZone=UTC"}},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        WTF_CSRF_TIME_LIMIT=None,
        API_TITLE="MarketHub Integrations API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        OPENAPI_SWAGGER_UI_CONFIG={"persistAuthorization": True, "displayRequestDuration": True},
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION},
            "servers": [{"url": "/", "description": "This MarketHub server"}],
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or API key",
                               "description": "A JWT from /v1/auth/token, or an API key "
                                              "(mh_live_…) created in the hub."},
                "basicAuth": {"type": "http", "scheme": "basic",
                              "description": "client_id:client_secret, on /v1/auth only."},
                "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": "/v1/auth/token", "scopes": _scope_docs()}}},
            }},
        },
        RATELIMIT_ENABLED=settings.rate_limit_enabled,
        RATELIMIT_STORAGE_URI=storage_uri(settings.redis_url),  # one round trip per hit
        RATELIMIT_STRATEGY="sliding-window-counter",
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_HEADER_LIMIT="RateLimit-Limit",
        RATELIMIT_HEADER_REMAINING="RateLimit-Remaining",
        RATELIMIT_HEADER_RESET="RateLimit-Reset",
        RATELIMIT_SWALLOW_ERRORS=True,  # Redis down: serve (and log) rather than fail every call
        RATELIMIT_KEY_PREFIX="mh-rl",
    )


def _scope_docs() -> dict:
    from .auth.scopes import ALL_SCOPES

    return {scope: f"{scope.split(':')[1].title()} {scope.split(':')[0]}" for scope in ALL_SCOPES}


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(errors.AppError, errors.handle_app_error)
    app.register_error_handler(HTTPException, errors.handle_http_exception)
    app.register_error_handler(Exception, errors.handle_unexpected)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    app = Flask(__name__, static_folder=str(HERE / "web" / "static"),
                template_folder=str(HERE / "web" / "templates"))
    app.json_provider_class = ExactJSONProvider
    app.json = ExactJSONProvider(app)
    _config(app, settings)
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(HERE / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    init_rate_limit_headers(app)
    limiter.init_app(app)
    api.init_app(app)
    register_shared_responses(api.spec)
    api_routes.register(app, api, csrf)
    wakeup.install()  # committed events wake the webhook workers
    idempotency.install()  # a change commits with its Idempotency-Key's note of it
    init_oauth(app)
    init_request_hooks(app)
    init_security_headers(app)
    _register_error_handlers(app)

    from .web.views import web

    app.register_blueprint(web)

    @app.get("/docs/assets/<path:filename>")
    def swagger_assets(filename):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    from .cli import register_commands

    register_commands(app)
    return app
