"""The integrations' tick, run by the worker's periodic loop (the webhooks sweeper, every
second): queue the automatic syncs that are due, queue again the runs whose worker died or whose
job Redis lost, and make sure a job runs the due pushes. Everything it decides comes from the
database, so any number of workers may tick at once.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from ..db import utcnow, write_transaction
from ..extensions import db
from ..models import Integration, SyncRun
from . import pushes, runs
from .queueing import enqueue_pushes, enqueue_sync

log = logging.getLogger("markethub.integrations")

REQUEUE_AFTER = timedelta(seconds=60)  # a queued run nobody started: its job may be lost
BATCH = 100


def tick(app: Flask) -> dict:
    with app.app_context():
        try:
            settings = app.config["MH_SETTINGS"]
            now = utcnow()
            return {"scheduled": schedule_due_syncs(settings, now),
                    "requeued": requeue_stalled_runs(settings, now),
                    "pushes": pushes.has_due(db.session, now) and enqueue_pushes(settings)}
        finally:
            db.session.remove()


def schedule_due_syncs(settings, now) -> int:
    due = db.session.execute(select(Integration.id).where(
        Integration.next_sync_at <= now, Integration.sync_mode == "automatic",
        Integration.status == "connected", Integration.deleted_at.is_(None))
        .order_by(Integration.next_sync_at).limit(BATCH)).scalars().all()
    queued = 0
    for integration_id in due:
        with write_transaction() as session:
            integration = session.execute(select(Integration).where(
                Integration.id == integration_id, Integration.next_sync_at <= now)
                .with_for_update()).scalar()
            if integration is None:  # another worker took it
                continue
            integration.next_sync_at = now + timedelta(minutes=integration.sync_interval_minutes)
            run, created = runs.create(session, integration, "scheduled")
            run_id = run.id
        if created and enqueue_sync(settings, integration_id, run_id):
            queued += 1
    return queued


def requeue_stalled_runs(settings, now) -> int:
    dead = ((SyncRun.status == "running") & (SyncRun.lease_expires_at <= now)
            & (SyncRun.enqueued_at <= SyncRun.lease_expires_at))  # not queued again since
    forgotten = (SyncRun.status == "queued") & (SyncRun.enqueued_at <= now - REQUEUE_AFTER)
    stalled = db.session.execute(select(SyncRun.id, SyncRun.integration_id, SyncRun.status)
                                 .where(dead | forgotten).limit(BATCH)).all()
    requeued = 0
    for run in stalled:
        with write_transaction() as session:
            session.get(SyncRun, run.id).enqueued_at = now
        dead_worker = run.status == "running"
        if enqueue_sync(settings, run.integration_id, run.id, replace=dead_worker):
            log.info("sync run %s queued again (%s)", run.id,
                     "its worker stopped" if dead_worker else "its job was not picked up")
            requeued += 1
    return requeued
