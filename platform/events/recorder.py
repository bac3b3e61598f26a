"""Persists a batch of attempt results in one transaction: every attempt as sent and answered, each
delivery's next state, and the endpoints' health (410 and sustained failure disable them).

A delivery is only updated while this worker still holds its lease (the lease token matches): if
the lease expired and another worker took it, that worker's result wins; our attempt row stays,
because it happened. Deliveries that end the same way (most of a batch: 2xx) share one UPDATE.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import insert, update

from ..db import utcnow, write_transaction
from ..ids import new_id
from ..models import WebhookAttempt, WebhookDelivery
from ..settings import Settings
from . import endpoint_health
from .retry import next_delay
from .sender import AttemptResult

_deliveries = WebhookDelivery.__table__
INSERT_ATTEMPTS = insert(WebhookAttempt.__table__)  # Core, as dispatcher.INSERT_DELIVERIES


def _next_state(settings: Settings, result: AttemptResult, attempts_in_cycle: int, now):
    """(status, next_attempt_at) after this attempt."""
    if result.outcome == "succeeded":
        return "succeeded", None
    if result.outcome != "retry":
        return "failed", None
    delay = next_delay(settings, attempts_in_cycle, result.retry_after)
    if delay is None:
        return "failed", None
    return "pending", now + timedelta(seconds=delay)


def _attempt_row(result: AttemptResult, number: int) -> dict:
    claim = result.claim
    return {"id": new_id("att"), "tenant_id": claim.tenant_id, "delivery_id": claim.delivery_id,
            "endpoint_id": claim.target.endpoint_id, "attempt_number": number,
            "started_at": result.started_at, "url": claim.target.url,
            "request_headers": result.request_headers, "request_body": result.request_body,
            "response_status": result.status, "response_body": result.response_body,
            "response_body_truncated": result.truncated, "latency_ms": result.latency_ms,
            "succeeded": result.outcome == "succeeded", "error": result.error}


def _next_values(settings: Settings, result: AttemptResult, now) -> tuple:
    """What the delivery becomes; equal for most of a batch (successes), so grouped."""
    attempted = int(result.outcome != "refused")
    status, next_attempt_at = _next_state(
        settings, result, result.claim.attempts_in_cycle + attempted, now)
    return (result.claim.lease_token, status, next_attempt_at, result.status, result.error,
            attempted)


def _update_deliveries(session, groups: dict, now) -> None:
    for (token, status, next_attempt_at, code, error, attempted), ids in groups.items():
        session.execute(update(_deliveries).where(
            _deliveries.c.id.in_(ids), _deliveries.c.lease_token == token).values(
            status=status, next_attempt_at=next_attempt_at, last_status_code=code,
            last_error=error, attempt_count=_deliveries.c.attempt_count + attempted,
            attempts_in_cycle=_deliveries.c.attempts_in_cycle + attempted,
            lease_expires_at=None, lease_token=None, updated_at=now,
            completed_at=None if status == "pending" else now))


def record(settings: Settings, results: list[AttemptResult]) -> None:
    if not results:
        return
    now = utcnow()
    attempts = [_attempt_row(result, result.claim.attempt_count + 1)
                for result in results if result.outcome != "refused"]
    groups = defaultdict(list)
    for result in results:
        groups[_next_values(settings, result, now)].append(result.claim.delivery_id)
    with write_transaction() as session:
        if attempts:
            session.execute(INSERT_ATTEMPTS, attempts)
        _update_deliveries(session, groups, now)
        endpoint_health.note_outcomes(session, settings, results, now)
