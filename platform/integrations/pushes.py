"""Pushes to the ERP: recorded first (pending), then run by a job, each outcome recorded —
succeeded with what the ERP made (its order id, the invoice number and key), failed with the
ERP's own message, or retried on the retry schedule when the ERP is busy or unreachable.

Bad credentials put the integration in `error` and leave its pushes pending: they run once the
seller reconnects. Several pending stock pushes of one product become one call (the stock now).
"""
from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select, update

from markethub.connectors.sdk import AuthError, ConnectorError, FatalError, RetryableError

from ..db import utcnow, write_transaction
from ..errors import AppError
from ..extensions import db
from ..ids import new_id
from ..models import Integration, IntegrationPush
from ..settings import Settings
from . import engine, status
from .connections import open_integration
from .push_actions import ACTIONS, PushTarget

LEASE_SECONDS = 300


def record(session, integration: Integration, action: str, local_id: str,
           source_event_id: str | None = None) -> IntegrationPush:
    """A pending push (inside the caller's transaction)."""
    now = utcnow()
    push = IntegrationPush(id=new_id("psh"), tenant_id=integration.tenant_id,
                           integration_id=integration.id, action=action,
                           resource=ACTIONS[action].resource, local_id=local_id,
                           source_event_id=source_event_id, status="pending", attempts=0,
                           next_attempt_at=now, created_at=now, updated_at=now)
    session.add(push)
    return push


def _claim(limit: int) -> list[tuple]:
    now = utcnow()
    with write_transaction() as session:
        rows = session.execute(
            select(IntegrationPush.id, IntegrationPush.integration_id, IntegrationPush.action,
                   IntegrationPush.local_id)
            .join(Integration, Integration.id == IntegrationPush.integration_id)
            .where(IntegrationPush.status == "pending", IntegrationPush.next_attempt_at <= now,
                   (IntegrationPush.lease_expires_at.is_(None))
                   | (IntegrationPush.lease_expires_at <= now),
                   Integration.status == "connected", Integration.deleted_at.is_(None))
            .order_by(IntegrationPush.id).limit(limit)
            .with_for_update(skip_locked=True, of=IntegrationPush)).all()  # see db.skip_locked
        if rows:
            session.execute(update(IntegrationPush).where(
                IntegrationPush.id.in_([row.id for row in rows]))
                .values(lease_expires_at=now + timedelta(seconds=LEASE_SECONDS)))
    return rows


def run_due(settings: Settings, seconds: float = 30.0, batch: int = 50) -> dict:
    """Run due pushes until none is left or `seconds` pass."""
    deadline, stats = time.monotonic() + seconds, defaultdict(int)
    while time.monotonic() < deadline:
        rows = _claim(batch)
        if not rows:
            break
        by_integration = defaultdict(lambda: defaultdict(list))
        for row in rows:  # one call per (action, record): stock pushes coalesce
            by_integration[row.integration_id][(row.action, row.local_id)].append(row.id)
        for integration_id, units in by_integration.items():
            _run_integration(settings, integration_id, units, stats)
    return dict(stats)


def _run_integration(settings: Settings, integration_id: str, units: dict, stats) -> None:
    integration = db.session.get(Integration, integration_id)
    try:
        session = open_integration(settings, integration)
    except ConnectorError as error:  # stored credentials no longer fit the connector
        for push_ids in units.values():
            _settle(settings, push_ids, "failed", None, None, status.error_dict(error), None)
        stats["failed"] += len(units)
        return
    try:
        pending = list(units.items())
        while pending:
            (action, local_id), push_ids = pending.pop(0)
            try:
                outcome = _run_one(session, integration, action, local_id)
            except AuthError as error:
                engine.mark_error(integration_id, status.error_dict(error))
                _release(push_ids + [i for _, ids in pending for i in ids])
                stats["waiting_for_credentials"] += 1
                return
            _settle(settings, push_ids, *outcome)
            stats[outcome[0]] += 1
    finally:
        session.close()


def _run_one(session, integration: Integration, action: str, local_id: str) -> tuple:
    target = PushTarget(integration.tenant_id, integration.id, local_id)
    spec = ACTIONS[action]
    try:
        output = session.run(action, spec.inputs(target))
        return "succeeded", output, spec.remember(target, output), None, None
    except RetryableError as error:
        return "retry", None, None, status.error_dict(error), error.retry_after
    except FatalError as error:
        return "failed", None, None, status.error_dict(error), None
    except AppError as error:  # our record is gone or cannot be sent
        return "failed", None, None, {"code": error.code, "message": error.message}, None


def _settle(settings: Settings, push_ids: list[str], outcome: str, output, external_id, error,
            retry_after) -> None:
    now = utcnow()
    schedule = settings.erp_push_retry_schedule_seconds
    with write_transaction() as session:
        for push in session.execute(select(IntegrationPush).where(
                IntegrationPush.id.in_(push_ids))).scalars():
            push.attempts += 1
            push.updated_at, push.lease_expires_at, push.error = now, None, error
            if outcome == "retry" and push.attempts <= len(schedule):
                delay = max(schedule[push.attempts - 1], retry_after or 0)
                push.next_attempt_at = now + timedelta(seconds=delay)
                continue
            push.status = "succeeded" if outcome == "succeeded" else "failed"
            push.result, push.external_id = output, external_id
            push.finished_at, push.next_attempt_at = now, None


def _release(push_ids: list[str]) -> None:
    with write_transaction() as session:
        session.execute(update(IntegrationPush).where(IntegrationPush.id.in_(push_ids))
                        .values(lease_expires_at=None))


def has_due(session, now) -> bool:
    return session.execute(
        select(IntegrationPush.id)
        .join(Integration, Integration.id == IntegrationPush.integration_id)
        .where(IntegrationPush.status == "pending", IntegrationPush.next_attempt_at <= now,
               (IntegrationPush.lease_expires_at.is_(None))
               | (IntegrationPush.lease_expires_at <= now),
               Integration.status == "connected", Integration.deleted_at.is_(None))
        .limit(1)).first() is not None
