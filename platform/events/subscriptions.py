"""Webhook endpoints: create (secret shown once), change, delete, rotate the secret. Audited.

The signing secret is stored sealed (AES-256-GCM, platform/crypto.py), never logged, and returned
only by create and rotate-secret.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from .. import crypto
from ..auth.principal import Principal
from ..db import utcnow, write_transaction
from ..errors import NotFoundError, ValidationError
from ..ids import new_id
from ..models import WebhookEndpoint
from ..services import audit
from ..settings import Settings
from . import signing, ssrf
from .catalogue import pattern_error
from .claims import endpoint_context

EDITABLE = ("url", "description", "event_types", "enabled")


def checked_url(settings: Settings, url: str) -> str:
    try:
        return ssrf.check_url(url, settings)
    except ssrf.UnsafeURLError as error:
        raise ValidationError(error.message, code=error.code,
                              fields={"url": [error.message]}) from None


def checked_event_types(patterns: list[str]) -> list[str]:
    problems = {f"event_types[{index}]": [pattern_error(pattern)]
                for index, pattern in enumerate(patterns) if pattern_error(pattern)}
    if problems:
        raise ValidationError("Unknown event types; see GET /v1/events/types.",
                              code="unknown_event_type", fields=problems)
    return list(dict.fromkeys(patterns))


def locked_endpoint(session, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.tenant_id == principal.tenant_id, WebhookEndpoint.id == endpoint_id,
        WebhookEndpoint.deleted_at.is_(None)).with_for_update()).scalar_one_or_none()
    if endpoint is None:
        raise NotFoundError("webhook", endpoint_id)
    return endpoint


def create_endpoint(principal: Principal, settings: Settings,
                    data: dict) -> tuple[WebhookEndpoint, str]:
    url = checked_url(settings, data["url"])
    event_types = checked_event_types(data.get("event_types", ["*"]))
    secret, endpoint_id, now = signing.new_secret(), new_id("wh"), utcnow()
    with write_transaction() as session:
        endpoint = WebhookEndpoint(
            id=endpoint_id, tenant_id=principal.tenant_id, url=url,
            description=data.get("description"), event_types=event_types,
            enabled=data.get("enabled", True), created_at=now, updated_at=now,
            secret_sealed=crypto.seal(settings, secret, endpoint_context(endpoint_id)))
        if not endpoint.enabled:
            endpoint.disabled_reason, endpoint.disabled_at = "Created disabled.", now
        session.add(endpoint)
        audit.record(session, principal, "webhook.created", "webhook_endpoint", endpoint_id,
                     {"url": url, "event_types": event_types, "enabled": endpoint.enabled})
    return endpoint, secret


def _set_enabled(endpoint: WebhookEndpoint, enabled: bool, now) -> None:
    endpoint.enabled = enabled
    endpoint.failing_since = None
    endpoint.disabled_reason = None if enabled else "Disabled by the account."
    endpoint.disabled_at = None if enabled else now


def update_endpoint(principal: Principal, settings: Settings, endpoint_id: str,
                    data: dict) -> WebhookEndpoint:
    if "url" in data:
        data["url"] = checked_url(settings, data["url"])
    if "event_types" in data:
        data["event_types"] = checked_event_types(data["event_types"])
    now = utcnow()
    with write_transaction() as session:
        endpoint = locked_endpoint(session, principal, endpoint_id)
        changes = {name: {"from": getattr(endpoint, name), "to": data[name]}
                   for name in EDITABLE if name in data and getattr(endpoint, name) != data[name]}
        for name in ("url", "description", "event_types"):
            if name in changes:
                setattr(endpoint, name, data[name])
        if "enabled" in changes:
            _set_enabled(endpoint, data["enabled"], now)
        if changes:
            endpoint.updated_at = now
            audit.record(session, principal, "webhook.updated", "webhook_endpoint", endpoint.id,
                         {"changes": changes})
    return endpoint


def delete_endpoint(principal: Principal, endpoint_id: str) -> None:
    """Stops deliveries at once; the endpoint's delivery log is kept."""
    with write_transaction() as session:
        endpoint = locked_endpoint(session, principal, endpoint_id)
        endpoint.deleted_at = endpoint.updated_at = utcnow()
        endpoint.enabled = False
        audit.record(session, principal, "webhook.deleted", "webhook_endpoint", endpoint.id,
                     {"url": endpoint.url})


def rotate_secret(principal: Principal, settings: Settings,
                  endpoint_id: str) -> tuple[WebhookEndpoint, str]:
    """A new secret signs from now on; the old one keeps signing too for the overlap (24 h)."""
    secret, now = signing.new_secret(), utcnow()
    with write_transaction() as session:
        endpoint = locked_endpoint(session, principal, endpoint_id)
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_expires_at = now + timedelta(
            seconds=settings.webhook_secret_overlap_seconds)
        endpoint.secret_sealed = crypto.seal(settings, secret, endpoint_context(endpoint.id))
        endpoint.updated_at = now
        audit.record(session, principal, "webhook.secret_rotated", "webhook_endpoint",
                     endpoint.id, {"previous_secret_expires_at":
                                   endpoint.previous_secret_expires_at.isoformat()})
    return endpoint, secret
