"""A sync run's record, one short transaction per step: created (queued), claimed (running,
leased), a page stored (counts, item errors, resume token, requests), a sync completed (its
checkpoint = the start of that pull), finished. A worker that dies leaves a lease that expires;
the scheduler queues the run again and it resumes after its last stored page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from markethub.connectors.sdk.values import iso

from ..db import utcnow, write_transaction
from ..models import Integration, SyncRun
from ..models.integration import ACTIVE_RUN_STATUSES
from .connections import connector_for
from .outcome import COUNTS, PageOutcome

MAX_STORED_ERRORS = 500  # per run; error_count keeps the true total


class RunLostError(Exception):
    """Another worker took this run over (our lease expired): stop without writing."""


@dataclass(frozen=True)
class Claim:
    run_id: str
    integration_id: str
    attempt: int
    syncs: list
    completed: list
    resume: dict | None
    requests: int  # made by earlier attempts


def active_run(session, integration_id: str) -> SyncRun | None:
    return session.execute(select(SyncRun).where(
        SyncRun.integration_id == integration_id,
        SyncRun.status.in_(ACTIVE_RUN_STATUSES))).scalar()


def create(session, integration: Integration, trigger: str) -> tuple[SyncRun, bool]:
    """(run, created): the integration's queued or running run if it has one — never two at
    once — else a new queued run, resuming where the last failed one stopped."""
    current = active_run(session, integration.id)
    if current is not None:
        return current, False
    last = session.execute(select(SyncRun).where(SyncRun.integration_id == integration.id)
                           .order_by(SyncRun.id.desc()).limit(1)).scalar()
    resume = last.resume if last is not None and last.status == "failed" else None
    run = SyncRun(tenant_id=integration.tenant_id, integration_id=integration.id,
                  trigger=trigger, status="queued", resume=resume, enqueued_at=utcnow(),
                  syncs=[sync.key for sync in connector_for(integration.provider).syncs],
                  completed=[], counts={}, errors=[], error_count=0, requests=0, attempts=0)
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:  # another request queued one at the same moment
        return active_run(session, integration.id), False
    return run, True


def claim(run_id: str, lease_seconds: int) -> Claim | None:
    now = utcnow()
    with write_transaction() as session:
        run = session.execute(select(SyncRun).where(SyncRun.id == run_id)
                              .with_for_update()).scalar()
        lease_free = run is not None and (run.lease_expires_at is None
                                          or run.lease_expires_at <= now)
        if run is None or run.status not in ACTIVE_RUN_STATUSES or not lease_free:
            return None
        run.status, run.attempts = "running", run.attempts + 1
        run.started_at = run.started_at or now
        run.lease_expires_at = now + timedelta(seconds=lease_seconds)
        return Claim(run.id, run.integration_id, run.attempts, list(run.syncs),
                     list(run.completed), run.resume, run.requests)


def _locked(session, claim_: Claim) -> SyncRun:
    run = session.execute(select(SyncRun).where(SyncRun.id == claim_.run_id)
                          .with_for_update()).scalar()
    if run.status != "running" or run.attempts != claim_.attempt:
        raise RunLostError(claim_.run_id)
    return run


def save_page(claim_: Claim, sync_key: str, outcome: PageOutcome, resume: dict, requests: int,
              lease_seconds: int) -> None:
    with write_transaction() as session:
        run = _locked(session, claim_)
        counts = {entity: dict(values) for entity, values in (run.counts or {}).items()}
        for entity, counter in outcome.counts.items():
            entry = counts.setdefault(entity, dict.fromkeys(COUNTS, 0))
            for name, value in counter.items():
                entry[name] = entry.get(name, 0) + value
        run.counts = counts
        room = MAX_STORED_ERRORS - len(run.errors or [])
        if outcome.errors and room > 0:
            run.errors = [*(run.errors or []), *outcome.errors[:room]]
        run.error_count += len(outcome.errors)
        run.resume = {"sync": sync_key, "token": resume}
        run.requests = claim_.requests + requests
        run.lease_expires_at = utcnow() + timedelta(seconds=lease_seconds)


def complete_sync(claim_: Claim, sync_key: str, started_at: datetime, requests: int) -> None:
    """The last page is stored: the next pull starts from this one's start time."""
    with write_transaction() as session:
        run = _locked(session, claim_)
        integration = session.get(Integration, run.integration_id)
        integration.checkpoints = {**(integration.checkpoints or {}), sync_key: iso(started_at)}
        run.completed = [*run.completed, sync_key]
        run.resume = None
        run.requests = claim_.requests + requests


def finish(claim_: Claim, requests: int, error: dict | None = None) -> str:
    """succeeded, partial (items refused) or failed (the run stopped: resumable)."""
    now = utcnow()
    with write_transaction() as session:
        run = _locked(session, claim_)
        run.status = "failed" if error else ("partial" if run.error_count else "succeeded")
        run.error, run.finished_at, run.lease_expires_at = error, now, None
        run.requests = claim_.requests + requests
        if not error:
            session.get(Integration, run.integration_id).last_sync_at = now
        return run.status


def fail_unclaimed(run_id: str, error: dict) -> None:
    """A queued run that cannot start (the integration is gone or not connected)."""
    with write_transaction() as session:
        run = session.get(SyncRun, run_id)
        if run is not None and run.status in ACTIVE_RUN_STATUSES:
            run.status, run.error, run.finished_at = "failed", error, utcnow()
            run.lease_expires_at = None
