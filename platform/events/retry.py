"""When to try a delivery again: the configured schedule, a little jitter, and the receiver's
Retry-After when it asks for more time (bounded by webhook_retry_after_max_seconds)."""
from __future__ import annotations

import random
from email.utils import parsedate_to_datetime

from ..db import utcnow
from ..settings import Settings


def max_attempts(settings: Settings) -> int:
    return len(settings.webhook_retry_schedule_seconds) + 1


def next_delay(settings: Settings, attempts_made: int, retry_after: float | None) -> float | None:
    """Seconds from now to the next attempt, after `attempts_made` in this cycle; None: give up."""
    if attempts_made >= max_attempts(settings):
        return None
    delay = settings.webhook_retry_schedule_seconds[attempts_made - 1]
    jitter = settings.webhook_retry_jitter
    delay *= 1 + random.uniform(-jitter, jitter)
    if retry_after:
        delay = max(delay, min(retry_after, settings.webhook_retry_after_max_seconds))
    return delay


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (RFC 9110: delay-seconds or an HTTP-date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - utcnow()).total_seconds())
