"""Response headers every browser-facing answer carries; HSTS in production (behind TLS)."""
from flask import Flask, current_app, request

HUB_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
           "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")


def _add_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.path.startswith("/hub"):
        response.headers.setdefault("Content-Security-Policy", HUB_CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cache-Control", "no-store")
    if current_app.config["MH_SETTINGS"].is_production:
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=63072000; includeSubDomains")
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(_add_headers)
