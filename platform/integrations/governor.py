"""The per-account rate governor backed by Redis, so every job of one ERP account — in any
process, on any machine — shares one budget (the SDK's `GovernorBackend` protocol).

Sliding windows as sorted sets of call times (a log, not a token bucket: a bucket may admit
twice its capacity inside one window, which is exactly what trips an ERP that counts per
window). Each `reserve` is one Lua script, so checking every rule and recording the call in all
of them is atomic; the clock is Redis `TIME`, the same for every process.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence

from redis import Redis

from markethub.connectors.sdk import Concurrency, Governor, Rule

from ..settings import Settings

PREFIX = "mh:gov:"

# KEYS: one sorted set per rule. ARGV: member, then (limit, period) per rule.
# Returns "0" when the call was recorded in every window, else the seconds to wait.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local period = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local rule_wait = tonumber(oldest[2]) + period - now
    if rule_wait > wait then wait = rule_wait end
  end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  local period = tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, math.ceil(period * 1000) + 1000)
end
return "0"
"""

# KEYS[1]: the holders' sorted set (token -> lease expiry). ARGV: token, limit, lease seconds.
ENTER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3]) * 1000) + 1000)
return 1
"""


class RedisBackend:
    """`GovernorBackend` over one Redis connection (thread-safe: redis-py pools connections)."""

    def __init__(self, redis: Redis, prefix: str = PREFIX):
        self.redis = redis
        self.prefix = prefix
        self._reserve = redis.register_script(RESERVE)
        self._enter = redis.register_script(ENTER)

    def reserve(self, rules: Sequence[Rule]) -> float:
        if not rules:
            return 0.0
        args: list = [uuid.uuid4().hex]
        for rule in rules:
            args += [rule.limit, rule.period]
        keys = [self.prefix + "w:" + rule.bucket for rule in rules]
        return float(self._reserve(keys=keys, args=args))

    def enter(self, slot: Concurrency) -> str | None:
        token = uuid.uuid4().hex
        taken = self._enter(keys=[self.prefix + "c:" + slot.bucket],
                            args=[token, slot.limit, slot.lease])
        return token if taken else None

    def leave(self, slot: Concurrency, token: str) -> None:
        self.redis.zrem(self.prefix + "c:" + slot.bucket, token)


_lock = threading.Lock()
_governors: dict[tuple[str, float], Governor] = {}


def governor_for(settings: Settings) -> Governor:
    """One governor per process and Redis (connections are pooled, and rebuilt after a fork)."""
    key = (settings.redis_url, settings.erp_governor_max_wait_seconds)
    with _lock:
        if key not in _governors:
            redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
            _governors[key] = Governor(RedisBackend(redis),
                                       max_wait=settings.erp_governor_max_wait_seconds)
        return _governors[key]
