"""Endpoint health: the failure streak, automatic disabling, and the figures the hub shows.

`failing_since` is the first failed attempt since the last success. An endpoint whose attempts
have all failed for `webhook_disable_after_failing_seconds` (24 h by default) is disabled; one
that answers 410 Gone is disabled at once. Either way the reason is recorded on the endpoint
(and in the audit log), and enabling it again clears it.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select, update

from ..auth.principal import Principal
from ..db import utcnow
from ..models import WebhookAttempt, WebhookEndpoint
from ..services import audit
from ..settings import Settings

# Payload-too-large is our limit, not the endpoint's fault; a refusal or an unavailable secret
# sent nothing.
_ENDPOINT_FAILURES = ("retry", "gone")


def system_principal(tenant_id: str) -> Principal:
    return Principal(tenant_id, "", "system", None, frozenset(), origin="system")


def disable(session, endpoint: WebhookEndpoint, reason: str, now) -> None:
    if not endpoint.enabled:
        return
    endpoint.enabled, endpoint.disabled_reason = False, reason
    endpoint.disabled_at = endpoint.updated_at = now
    audit.record(session, system_principal(endpoint.tenant_id), "webhook.disabled",
                 "webhook_endpoint", endpoint.id, {"reason": reason})


def _set_streaks(session, results, now) -> set[str]:
    """Ends the streak of endpoints that succeeded, starts one for those that failed; returns
    the failing ones. Touches an endpoint row only when its state changes."""
    healthy = {r.claim.target.endpoint_id for r in results if r.outcome == "succeeded"}
    failing = {r.claim.target.endpoint_id for r in results
               if r.outcome in _ENDPOINT_FAILURES and not r.claim.target.unavailable} - healthy
    recovered = {r.claim.target.endpoint_id for r in results
                 if r.outcome == "succeeded" and r.claim.target.failing}
    started = {r.claim.target.endpoint_id for r in results
               if r.claim.target.endpoint_id in failing and not r.claim.target.failing}
    if recovered:
        session.execute(update(WebhookEndpoint).where(
            WebhookEndpoint.id.in_(recovered), WebhookEndpoint.failing_since.is_not(None))
            .values(failing_since=None), execution_options={"synchronize_session": False})
    if started:
        session.execute(update(WebhookEndpoint).where(
            WebhookEndpoint.id.in_(started), WebhookEndpoint.failing_since.is_(None))
            .values(failing_since=now), execution_options={"synchronize_session": False})
    return failing


def note_outcomes(session, settings: Settings, results, now) -> None:
    failing = _set_streaks(session, results, now)
    for result in {r.claim.target.endpoint_id: r for r in results
                   if r.outcome == "gone"}.values():
        disable(session, session.get(WebhookEndpoint, result.claim.target.endpoint_id),
                f"The endpoint answered 410 Gone at {result.started_at.isoformat()}; we stopped "
                "sending. Enable it again when it is back.", now)
    if not failing:
        return
    last_error = {r.claim.target.endpoint_id: r.error for r in results}
    cutoff = now - timedelta(seconds=settings.webhook_disable_after_failing_seconds)
    stale = session.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.id.in_(failing), WebhookEndpoint.enabled.is_(True),
        WebhookEndpoint.failing_since <= cutoff)).scalars()
    for endpoint in stale:
        hours = settings.webhook_disable_after_failing_seconds / 3600
        disable(session, endpoint,
                f"Every delivery failed for {hours:g} h (since "
                f"{endpoint.failing_since.isoformat()}); last error: "
                f"{(last_error[endpoint.id] or '').rstrip('.')}. Enable it again when it is "
                "fixed.", now)


def health(session, endpoint_ids, hours: int = 24) -> dict[str, dict]:
    """Per endpoint: attempts in the last `hours`, how many succeeded, and the last attempt."""
    since = utcnow() - timedelta(hours=hours)
    recent = session.execute(
        select(WebhookAttempt.endpoint_id, func.count(),
               func.sum(case((WebhookAttempt.succeeded.is_(True), 1), else_=0)))
        .where(WebhookAttempt.endpoint_id.in_(endpoint_ids),
               WebhookAttempt.started_at >= since)
        .group_by(WebhookAttempt.endpoint_id)).all()
    last = dict(session.execute(
        select(WebhookAttempt.endpoint_id, func.max(WebhookAttempt.started_at))
        .where(WebhookAttempt.endpoint_id.in_(endpoint_ids))
        .group_by(WebhookAttempt.endpoint_id)).all())
    stats = {endpoint_id: {"window_hours": hours, "attempts": 0, "succeeded": 0,
                           "success_rate": None, "last_attempt_at": last.get(endpoint_id)}
             for endpoint_id in endpoint_ids}
    for endpoint_id, attempts, succeeded in recent:
        stats[endpoint_id].update(attempts=attempts, succeeded=int(succeeded or 0),
                                  success_rate=round(int(succeeded or 0) / attempts, 4))
    return stats
