"""The rate limiter's storage: limits' Redis storage, but a hit reports the window it saw.

flask-limiter asks the storage twice per request: once to take the hit, once more for the window
(to write the RateLimit-* headers). Here the hit's script returns the window too, and the next
window query for the same key on the same thread is answered from it: one Redis round trip per
request instead of two. Registered with limits under the `markethub+redis://` scheme.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from limits.storage import RedisStorage

SCHEME_PREFIX = "markethub+"
# A reported window serves the header query of the same request only; older ones are re-read.
REPORT_MAX_AGE_SECONDS = 1.0


class WindowReportingRedisStorage(RedisStorage):
    STORAGE_SCHEME = ["markethub+redis", "markethub+rediss", "markethub+redis+unix"]
    SCRIPT_ACQUIRE_AND_REPORT = (Path(__file__).parent / "acquire_sliding_window.lua").read_bytes()

    def __init__(self, uri: str, **options) -> None:
        self._reported = threading.local()
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)

    def initialize_storage(self, uri: str) -> None:
        super().initialize_storage(uri)
        self.lua_acquire_and_report = self.get_connection().register_script(
            self.SCRIPT_ACQUIRE_AND_REPORT)

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int,
                                     amount: int = 1) -> bool:
        acquired, *window = self.lua_acquire_and_report(
            [self.prefixed_key(self._previous_window_key(key)),
             self.prefixed_key(self._current_window_key(key))],
            [limit, expiry, amount])
        self._reported.window = (key, time.monotonic(), window)
        return bool(acquired)

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        reported, self._reported.window = getattr(self._reported, "window", None), None
        if reported and reported[0] == key:
            age = time.monotonic() - reported[1]
            if age < REPORT_MAX_AGE_SECONDS:
                previous_count, previous_ttl_ms, current_count, current_ttl_ms = reported[2]
                return (int(previous_count), max(0.0, previous_ttl_ms / 1000 - age),
                        int(current_count), max(0.0, current_ttl_ms / 1000 - age))
        return super().get_sliding_window(key, expiry)


def storage_uri(redis_url: str) -> str:
    return SCHEME_PREFIX + redis_url
