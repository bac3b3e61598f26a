"""Runs one sync run: for each of the connector's syncs (products, then orders), page from the
checkpoint to the ERP's end of list under the account's governor, write each page through our
services as the integration (so the events carry its origin), and store the page's resume token
with its counts. Bad credentials put the integration in `error`; any other stop leaves the run
`failed` and resumable.
"""
from __future__ import annotations

import logging

from flask import current_app

from markethub.connectors.sdk import AuthError, ConnectorError, Session
from markethub.connectors.sdk.values import parse_iso

from ..db import batch, write_transaction
from ..extensions import db
from ..models import Integration
from ..settings import Settings
from . import runs, status, upsert_orders, upsert_products
from .connections import connector_for, open_integration
from .outcome import SyncScope
from .prefetch import prefetched

log = logging.getLogger("markethub.integrations")

# entity of a connector sync -> how its records reach our services
UPSERTS = {"product": upsert_products.apply, "order": upsert_orders.apply}


def execute(run_id: str) -> dict:
    """Claim and run `run_id`; returns {"run_id", "status"} (status "skipped" when another
    worker holds it or it already ended)."""
    settings: Settings = current_app.config["MH_SETTINGS"]
    claim = runs.claim(run_id, settings.erp_sync_lease_seconds)
    if claim is None:
        return {"run_id": run_id, "status": "skipped"}
    integration = db.session.get(Integration, claim.integration_id)
    if integration.deleted_at is not None or integration.status != "connected":
        runs.finish(claim, 0, {"code": "integration_not_connected",
                               "message": f"The integration is {integration.status}; connect it "
                                          "again to sync."})
        return {"run_id": run_id, "status": "failed"}
    scope = SyncScope(status.integration_principal(db.session, integration), integration.id,
                      integration.provider)
    session: Session | None = None
    try:
        session = open_integration(settings, integration)
        for sync_key in claim.syncs:
            if sync_key not in claim.completed:
                _pull(settings, scope, session, claim, sync_key, integration.checkpoints or {})
        final = runs.finish(claim, session.requests)
    except AuthError as error:
        final = _finish_failed(claim, session, status.error_dict(error), auth_failed=True)
    except ConnectorError as error:
        final = _finish_failed(claim, session, status.error_dict(error))
    except runs.RunLostError:
        final = "lost"
    except Exception:
        log.exception("sync run crashed", extra={"run_id": run_id})
        _finish_failed(claim, session, {"code": "internal_error", "message": "The sync stopped "
                                        "on an internal error; it resumes on the next run."})
        raise
    finally:
        if session is not None:
            session.close()
    return {"run_id": run_id, "status": final}


def _pull(settings: Settings, scope: SyncScope, session: Session, claim: runs.Claim,
          sync_key: str, checkpoints: dict) -> None:
    entity = connector_for(scope.provider).sync(sync_key).entity
    upsert = UPSERTS[entity]
    resume = claim.resume["token"] if claim.resume and claim.resume["sync"] == sync_key else None
    since = parse_iso(checkpoints[sync_key]) if checkpoints.get(sync_key) else None
    pull = session.sync(sync_key, since=since, resume=resume)
    for page in prefetched(pull):
        with batch():  # the page's rows, events, id map and resume token: one commit
            outcome = upsert(scope, page.records)
            outcome.erp_errors(entity, page.errors)
            runs.save_page(claim, sync_key, outcome, page.resume, session.requests,
                           settings.erp_sync_lease_seconds)
    runs.complete_sync(claim, sync_key, pull.started_at, session.requests)


def _finish_failed(claim: runs.Claim, session: Session | None, error: dict,
                   auth_failed: bool = False) -> str:
    db.session.rollback()
    final = runs.finish(claim, session.requests if session else 0, error)
    if auth_failed:
        mark_error(claim.integration_id, error)
    return final


def mark_error(integration_id: str, error: dict, principal=None) -> None:
    """Put the integration in `error` (the ERP refused the credentials, or connecting failed)
    with an `integration.error` event, from the integration unless a request found it out."""
    with write_transaction() as session:
        integration = session.get(Integration, integration_id)
        if integration.deleted_at is None:
            who = principal or status.integration_principal(session, integration)
            status.set_status(session, who, integration, "error", error)
