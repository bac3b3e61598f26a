"""The hub's blueprint, its response headers and the template helpers every page uses."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, g

from .scope_labels import scope_summary

web = Blueprint("web", __name__, url_prefix="/hub")

# Nothing but our own files: no inline scripts or styles, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

try:
    DISPLAY_ZONE, DISPLAY_ZONE_LABEL = ZoneInfo("America/Sao_Paulo"), "horário de Brasília"
except ZoneInfoNotFoundError:  # a machine without tz data: say plainly that times are UTC
    DISPLAY_ZONE, DISPLAY_ZONE_LABEL = timezone.utc, "UTC"

NAVIGATION = (
    ("web.dashboard", "Painel"),
    ("web.integrations", "Integrações"),
    ("web.recipes", "Receitas"),
    ("web.webhooks", "Webhooks"),
    ("web.api_keys", "Chaves de API"),
    ("web.monitoring", "Monitoramento"),
    ("web.audit", "Auditoria"),
)


@web.after_request
def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Hub pages carry tenant data and, once, secrets: never keep them in any cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@web.context_processor
def _layout_context():
    return {"navigation": NAVIGATION, "current_user": g.get("hub_user"),
            "current_tenant": g.get("hub_tenant"), "time_zone_label": DISPLAY_ZONE_LABEL}


@web.app_template_filter("datahora")
def format_datetime(value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    return value.astimezone(DISPLAY_ZONE).strftime("%d/%m/%Y %H:%M")


@web.app_template_filter("escopos")
def format_scopes(scopes) -> str:
    return scope_summary(scopes)
