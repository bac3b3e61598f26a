"""Working an integration: sync now, the sync log, pushes to the ERP, the Bling authorization,
and the connector catalogue — what the API and the hub call.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from sqlalchemy import select

from markethub.connectors import catalogue

from ..auth.principal import Principal
from ..db import write_transaction
from ..errors import ConflictError, NotFoundError, ValidationError
from ..extensions import db
from ..integrations import connections, oauth, pushes, runs
from ..integrations.queueing import enqueue_pushes, enqueue_sync
from ..models import IntegrationPush, Order, Product, SyncRun
from ..settings import Settings
from .integrations import get_integration

RESOURCE_MODELS = {"product": Product, "order": Order}


def request_sync(principal: Principal, settings: Settings, integration_id: str,
                 trigger: str = "manual") -> SyncRun:
    """Queue a sync run (or answer the one already queued or running: never two at once)."""
    integration = get_integration(principal, integration_id)
    if integration.status != "connected":
        raise ConflictError(f"The integration is {integration.status}: connect it before "
                            "syncing.", code="integration_not_connected")
    with write_transaction() as session:
        run, created = runs.create(session, integration, trigger)
        run_id = run.id
    if created:
        enqueue_sync(settings, integration_id, run_id)
    return db.session.get(SyncRun, run_id)


def runs_statement(principal: Principal, integration_id: str):
    get_integration(principal, integration_id)
    return select(SyncRun).where(SyncRun.tenant_id == principal.tenant_id,
                                 SyncRun.integration_id == integration_id)


def get_run(principal: Principal, run_id: str) -> SyncRun:
    run = db.session.execute(select(SyncRun).where(SyncRun.tenant_id == principal.tenant_id,
                                                   SyncRun.id == run_id)).scalar()
    if run is None:
        raise NotFoundError("sync_run", run_id)
    return run


def request_push(principal: Principal, settings: Settings, integration_id: str, action: str,
                 local_id: str) -> IntegrationPush:
    """Send one of our records to the ERP now (update_stock: a product; create_order and
    create_invoice: an order). Runs in a job; the push records the outcome."""
    integration = get_integration(principal, integration_id)
    actions = {a.key for a in connections.connector_for(integration.provider).actions}
    if action not in actions or action not in pushes.ACTIONS:
        raise ValidationError(f"{integration.provider} cannot {action}.", code="unsupported_action",
                              fields={"action": [f"One of: {', '.join(sorted(actions))}."]})
    resource = pushes.ACTIONS[action].resource
    model = RESOURCE_MODELS[resource]
    if db.session.execute(select(model.id).where(model.tenant_id == principal.tenant_id,
                                                 model.id == local_id)).first() is None:
        raise ValidationError(f"No {resource} with id '{local_id}'.", code="invalid_reference",
                              fields={f"{resource}_id": [f"No {resource} with this id."]})
    with write_transaction() as session:
        push = pushes.record(session, integration, action, local_id)
        push_id = push.id
    enqueue_pushes(settings)
    return db.session.get(IntegrationPush, push_id)


def pushes_statement(principal: Principal, integration_id: str):
    get_integration(principal, integration_id)
    return select(IntegrationPush).where(IntegrationPush.tenant_id == principal.tenant_id,
                                         IntegrationPush.integration_id == integration_id)


def safe_return_path(path: str | None) -> str | None:
    """A path on this site to come back to after the ERP's page, never another site."""
    if path is None:
        return None
    parts = urlsplit(path)
    if (not path.startswith("/") or path.startswith("//") or "\\" in path or parts.scheme
            or parts.netloc or any(ord(char) < 32 for char in path) or len(path) > 2000):
        raise ValidationError("return_to must be a path on this site, like /hub/integrations.",
                              fields={"return_to": ["Not a path on this site."]})
    return path


def start_authorization(principal: Principal, settings: Settings, integration_id: str,
                        return_to: str | None = None) -> str:
    """The ERP's authorization page for this integration (Bling). Send the seller there."""
    integration = get_integration(principal, integration_id)
    return oauth.start(principal, settings, integration, safe_return_path(return_to))


def finish_authorization(settings: Settings, args: dict) -> oauth.Finished:
    """The ERP's redirect back (`state`, and `code` or `error`), unauthenticated: the single-use
    state says which tenant and integration it belongs to."""
    return oauth.finish(settings, args.get("state"), args.get("code"), args.get("error"),
                        args.get("error_description"))


@lru_cache(maxsize=1)
def connector_catalogue() -> dict:
    """Every connector, action, trigger and sync, with the auth schema a configuration form is
    generated from (connectors/catalogue.py; built once per process)."""
    return catalogue.build()
