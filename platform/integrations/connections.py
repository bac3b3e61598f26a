"""From an Integration row to a live connector session: the connector's configuration (base URL
and rate limits from settings, the seller's own options on top), the credentials unsealed, the
shared Redis governor, and refreshed tokens sealed and saved the moment the connector hands
them back (a rotated refresh token is the only one that still works).
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Flask, current_app
from sqlalchemy import update

from markethub.connectors import registry
from markethub.connectors.sdk import Connector, Session, open_session
from markethub.connectors.sdk.session import account_key

from .. import crypto
from ..db import utcnow, write_transaction
from ..models import Integration
from ..settings import Settings
from .governor import governor_for

# Connector configuration the platform owns (where the ERP is, how fast it may be called):
# connector option -> setting. Everything else in a connector's config_schema is the seller's.
PLATFORM_CONFIG = {
    "bling": {"base_url": "bling_base_url", "authorize_url": "bling_authorize_url",
              "requests_per_second": "bling_requests_per_second",
              "requests_per_day": "bling_requests_per_day"},
    "omie": {"base_url": "omie_base_url", "requests_per_minute": "omie_requests_per_minute",
             "requests_per_minute_per_method": "omie_requests_per_minute_per_method",
             "concurrent_per_method": "omie_concurrent_per_method",
             "redundant_window_seconds": "omie_redundant_window_seconds"},
    "tiny": {"base_url": "tiny_base_url", "calls_per_minute": "tiny_calls_per_minute"},
}
NEVER_THE_SELLERS = {"base_url", "authorize_url", "timeout", "rate_margin_seconds"}
# Credential fields the platform supplies when the seller brings none (its own OAuth app).
PLATFORM_CREDENTIALS = {"bling": {"client_id": "bling_client_id",
                                  "client_secret": "bling_client_secret"}}


def connector_for(provider: str) -> Connector:
    return registry.get(provider)


def seller_config_schema(provider: str) -> dict:
    """The part of the connector's configuration a seller may set (page size, deposit, the
    Tiny plan's calls per minute…): never where the ERP is nor the platform's own limits."""
    schema = connector_for(provider).config_schema
    owned = set(PLATFORM_CONFIG.get(provider, {})) | NEVER_THE_SELLERS
    owned.discard("calls_per_minute")  # Tiny's limit is the seller's plan
    properties = {name: prop for name, prop in schema["properties"].items() if name not in owned}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def effective_config(settings: Settings, integration: Integration) -> dict:
    platform = {option: getattr(settings, name)
                for option, name in PLATFORM_CONFIG.get(integration.provider, {}).items()}
    return {**platform, **(integration.config or {})}


def platform_credentials(settings: Settings, provider: str) -> dict:
    values = {field: getattr(settings, name)
              for field, name in PLATFORM_CREDENTIALS.get(provider, {}).items()}
    return {field: value for field, value in values.items() if value}


def seal_context(integration_id: str) -> str:
    return f"integration:{integration_id}"


def seal_credentials(settings: Settings, integration_id: str, credentials: Mapping) -> str:
    return crypto.seal(settings, json.dumps(dict(credentials), sort_keys=True),
                       seal_context(integration_id))


def stored_credentials(settings: Settings, integration: Integration) -> dict:
    """What the seller (or the OAuth dance) stored — without the platform's defaults."""
    if not integration.credentials_sealed:
        return {}
    return json.loads(crypto.unseal(settings, integration.credentials_sealed,
                                    seal_context(integration.id)))


def session_credentials(settings: Settings, integration: Integration) -> dict:
    return {**platform_credentials(settings, integration.provider),
            **stored_credentials(settings, integration)}


def save_refreshed_credentials(app: Flask, integration_id: str, credentials: Mapping) -> None:
    """Seal and store the complete credentials in a transaction of their own, right now.

    Called by the connector (maybe from a prefetch thread) before it uses a rotated token, so it
    runs in a fresh app context: its own database session, never the caller's transaction. Only
    the fields that are not the platform's defaults are kept."""
    settings: Settings = app.config["MH_SETTINGS"]
    with app.app_context():
        with write_transaction() as session:
            integration = session.get(Integration, integration_id)
            defaults = platform_credentials(settings, integration.provider)
            own = {field: value for field, value in credentials.items()
                   if defaults.get(field) != value}
            session.execute(update(Integration).where(Integration.id == integration_id).values(
                credentials_sealed=seal_credentials(settings, integration_id, own),
                updated_at=utcnow()))


def open_integration(settings: Settings, integration: Integration,
                     credentials: Mapping | None = None) -> Session:
    """A connector session for this integration (its own credentials unless given)."""
    connector = connector_for(integration.provider)
    values = dict(credentials) if credentials is not None else \
        session_credentials(settings, integration)
    integration_id, app = integration.id, current_app._get_current_object()
    return open_session(
        connector, values, config=effective_config(settings, integration),
        governor=governor_for(settings), account=account_key(connector, values),
        on_credentials=lambda new: save_refreshed_credentials(app, integration_id, new))


def oauth_redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/integrations/oauth/callback"
