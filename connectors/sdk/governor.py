"""Per-account rate governor: every request of one ERP account goes through it.

The ERP counts requests per account (Bling: 3/s and 120,000/day; Omie: per method per minute,
4 concurrent; Tiny: N/min by plan). Every job of that account must share one budget, so the
governor keeps its counts in a *backend*:

- `InProcessBackend` (here): exact sliding windows in this process's memory.
- A Redis-backed backend lives with the platform (connectors import no Redis); it implements
  the same `GovernorBackend` protocol so workers on many machines share one budget.

Sliding windows (a log of call times) rather than token buckets: a token bucket may admit twice
its capacity inside one window, which is exactly what trips an ERP that counts per window.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from .errors import RateLimitedError


@dataclass(frozen=True)
class Rule:
    """At most `limit` calls in any `period` seconds for everything sharing `bucket`."""
    bucket: str
    limit: int
    period: float


@dataclass(frozen=True)
class Concurrency:
    """At most `limit` requests in flight at once for `bucket` (Omie: 4 per method)."""
    bucket: str
    limit: int
    lease: float = 120.0  # a crashed holder frees its slot after this many seconds


class GovernorBackend(Protocol):
    def reserve(self, rules: Sequence[Rule]) -> float:
        """All or nothing: if every rule allows one more call now, record it in all of them and
        return 0.0; otherwise record nothing and return the seconds to wait before retrying."""

    def enter(self, slot: Concurrency) -> str | None:
        """Take a concurrency slot; return a holder token, or None when all slots are taken."""

    def leave(self, slot: Concurrency, token: str) -> None:
        """Give back a slot taken with `enter`."""


class InProcessBackend:
    """Thread-safe sliding-window log kept in this process (one per process is enough)."""

    SWEEP_EVERY = 1000  # reservations between sweeps of idle buckets

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = {}
        self._periods: dict[str, float] = {}
        self._holders: dict[str, dict[str, float]] = {}
        self._reservations = 0

    def reserve(self, rules: Sequence[Rule]) -> float:
        with self._lock:
            now = self._clock()
            wait = max((self._wait(rule, now) for rule in rules), default=0.0)
            if wait > 0:
                return wait
            for rule in rules:
                self._calls.setdefault(rule.bucket, deque()).append(now)
                self._periods[rule.bucket] = rule.period
            self._reservations += 1
            if self._reservations % self.SWEEP_EVERY == 0:
                self._sweep(now)
            return 0.0

    def _sweep(self, now: float) -> None:
        """Forget buckets whose window is empty (one-off buckets such as Omie's per-id rule)."""
        for bucket in [b for b, calls in self._calls.items()
                       if not calls or calls[-1] <= now - self._periods.get(b, 0.0)]:
            self._calls.pop(bucket, None)
            self._periods.pop(bucket, None)

    def _wait(self, rule: Rule, now: float) -> float:
        calls = self._calls.setdefault(rule.bucket, deque())
        while calls and calls[0] <= now - rule.period:
            calls.popleft()
        if len(calls) < rule.limit:
            return 0.0
        # The call that has to leave the window before one more fits.
        return calls[len(calls) - rule.limit] + rule.period - now

    def enter(self, slot: Concurrency) -> str | None:
        with self._lock:
            now = self._clock()
            holders = self._holders.setdefault(slot.bucket, {})
            for token, expires in list(holders.items()):
                if expires <= now:
                    del holders[token]
            if len(holders) >= slot.limit:
                return None
            token = uuid.uuid4().hex
            holders[token] = now + slot.lease
            return token

    def leave(self, slot: Concurrency, token: str) -> None:
        with self._lock:
            self._holders.get(slot.bucket, {}).pop(token, None)


class Governor:
    """Blocks until the backend allows a call; refuses (RateLimitedError) rather than block for
    longer than `max_wait` seconds, so a job can be rescheduled instead of holding a worker."""

    def __init__(self, backend: GovernorBackend | None = None, *, max_wait: float = 60.0,
                 sleep=time.sleep, poll_interval: float = 0.05):
        self.backend = backend or InProcessBackend()
        self.max_wait = max_wait
        self._sleep = sleep
        self._poll_interval = poll_interval

    @contextmanager
    def slot(self, rules: Sequence[Rule] = (), concurrency: Concurrency | None = None,
             ) -> Iterator[None]:
        # The slot first, the windows last: the moment a call is counted is then the moment it
        # is sent, as the ERP will count it.
        token = self._wait_for_concurrency(concurrency) if concurrency else None
        try:
            self._wait_for_rules(rules)
            yield
        finally:
            if token is not None:
                self.backend.leave(concurrency, token)

    def _wait_for_rules(self, rules: Sequence[Rule]) -> None:
        waited = 0.0
        while rules:
            wait = self.backend.reserve(rules)
            if wait <= 0:
                break
            if waited + wait > self.max_wait:
                raise RateLimitedError(
                    f"The ERP's rate limit allows the next call in {wait:.1f}s.",
                    retry_after=round(wait, 3))
            self._sleep(wait)
            waited += wait

    def _wait_for_concurrency(self, slot: Concurrency) -> str:
        waited = 0.0
        while True:
            token = self.backend.enter(slot)
            if token is not None:
                return token
            if waited >= self.max_wait:
                raise RateLimitedError("Too many requests in flight for this ERP account.",
                                       retry_after=1.0)
            self._sleep(self._poll_interval)
            waited += self._poll_interval


_default_lock = threading.Lock()
_default: Governor | None = None


def default_governor() -> Governor:
    """The process-wide governor used when the caller passes none (REPL, tests, one process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Governor()
        return _default
