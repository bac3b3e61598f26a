"""Server-side rate windows: the sandbox counts like a strict ERP (a sliding window over the
arrival times), so a client that never trips it will never trip the real one."""
from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    """At most `limit` requests per key in any `period` seconds."""

    def __init__(self, limit: int, period: float):
        self.limit = limit
        self.period = period
        self._hits: dict[str, deque[float]] = {}

    def allows(self, key: str, now: float) -> bool:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.period:
            hits.popleft()
        return len(hits) < self.limit

    def record(self, key: str, now: float) -> None:
        self._hits.setdefault(key, deque()).append(now)

    def reset(self) -> None:
        self._hits.clear()


class RateGroup:
    """Several named windows checked together: a request is counted in all of them or, when
    one is full, in none (a refused request does not use up the budget)."""

    def __init__(self, windows: dict[str, SlidingWindow], clock=time.monotonic):
        self.windows = windows
        self._clock = clock
        self._lock = threading.Lock()

    def hit(self, key: str) -> str | None:
        """None when the request fits, else the name of the first full window."""
        with self._lock:
            now = self._clock()
            for name, window in self.windows.items():
                if not window.allows(key, now):
                    return name
            for window in self.windows.values():
                window.record(key, now)
            return None

    def reset(self) -> None:
        with self._lock:
            for window in self.windows.values():
                window.reset()


class InFlight:
    """Requests being processed right now, per key (Omie: 4 concurrent per method)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def enter(self, key: str) -> bool:
        with self._lock:
            if self._counts.get(key, 0) >= self.limit:
                return False
            self._counts[key] = self._counts.get(key, 0) + 1
            return True

    def leave(self, key: str) -> None:
        with self._lock:
            self._counts[key] = max(0, self._counts.get(key, 1) - 1)


class RecentIds:
    """Remembers (key -> last time) to refuse the same request twice within `period` seconds
    (Omie's "consumo redundante")."""

    def __init__(self, period: float, clock=time.monotonic):
        self.period = period
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}

    def seen_recently(self, key: str) -> float:
        """0.0 if `key` is new (and records it), else the seconds until it is allowed again."""
        with self._lock:
            now = self._clock()
            last = self._seen.get(key)
            if last is not None and now - last < self.period:
                return self.period - (now - last)
            self._seen[key] = now
            return 0.0

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
