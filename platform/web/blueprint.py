"""The hub's blueprint and the template helpers every page uses.

Security headers for /hub (CSP, no framing, Cache-Control: no-store) come from
platform/security_headers.py.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, g

from .scope_labels import scope_summary

web = Blueprint("web", __name__, url_prefix="/hub")

try:
    DISPLAY_ZONE, DISPLAY_ZONE_LABEL = ZoneInfo("America/Sao_Paulo"), "de Brasília"
except ZoneInfoNotFoundError:  # a machine without tz data: say plainly that times are UTC
    DISPLAY_ZONE, DISPLAY_ZONE_LABEL = timezone.utc, "em UTC"

NAVIGATION = (
    ("web.dashboard", "Painel"),
    ("web.integrations", "Integrações"),
    ("web.recipes", "Receitas"),
    ("web.webhooks", "Webhooks"),
    ("web.api_keys", "Chaves de API"),
    ("web.monitoring", "Monitoramento"),
    ("web.audit", "Auditoria"),
)


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
def format_scopes(scopes) -> list[str]:
    return scope_summary(scopes)
