"""The tenant's request budget: its plan's requests per minute, shared by all its credentials.

Checked before every request to an API resource with flask-limiter's own strategy and storage
(`limiter.limiter`, configured by the RATELIMIT_* settings: Redis, sliding window counter, key
prefix, on/off), but not through flask-limiter's per-request route resolution, which measured
more CPU than the whole rest of a `GET /v1/products/{id}` (bench/README.md). Per-endpoint limits
(the token endpoint per client, hub login) stay flask-limiter decorators.
"""
from __future__ import annotations

import logging
import math
import time
from functools import lru_cache

from flask import current_app, g
from limits import RateLimitItemPerMinute
from limits.errors import StorageError
from redis import RedisError

from ..auth.principal import authenticate
from ..errors import AppError
from ..extensions import limiter

log = logging.getLogger("markethub.ratelimit")


class RateLimitedError(AppError):
    status, code = 429, "rate_limited"

    def __init__(self, per_minute: int, retry_after: int):
        super().__init__(
            f"This tenant's plan allows {per_minute} requests per minute; retry in "
            f"{retry_after} s.", headers={"Retry-After": str(retry_after)})


@lru_cache(maxsize=None)
def _per_minute(amount: int) -> RateLimitItemPerMinute:
    return RateLimitItemPerMinute(amount)


def check() -> None:
    """Spend one request of the caller's budget, or refuse it with a 429."""
    if not limiter.enabled:
        return
    principal = authenticate()  # a missing or bad credential is a 401 before any budget
    per_minute = current_app.config["MH_SETTINGS"].plan_limit(principal.plan)
    if not per_minute:
        return  # enterprise: unlimited
    item = _per_minute(per_minute)
    key = (current_app.config["RATELIMIT_KEY_PREFIX"], "tenant", principal.tenant_id)
    try:
        allowed = limiter.limiter.hit(item, *key)
        reset_at, remaining = limiter.limiter.get_window_stats(item, *key)
    except (RedisError, StorageError):  # Redis down: serve rather than fail every call
        log.warning("rate limit storage unreachable; request served unlimited", exc_info=True)
        return
    reset_in = max(0, math.ceil(reset_at - time.time()))
    g.rate_limit = (per_minute, remaining, reset_in)
    if not allowed:
        raise RateLimitedError(per_minute, retry_after=max(1, reset_in))


def add_headers(response):
    """RateLimit-* (IETF draft, reset in seconds) on every answer that spent the budget."""
    spent = g.get("rate_limit")
    if spent:
        per_minute, remaining, reset_in = spent
        response.headers["RateLimit-Limit"] = str(per_minute)
        response.headers["RateLimit-Remaining"] = str(remaining)
        response.headers["RateLimit-Reset"] = str(reset_in)
    return response
