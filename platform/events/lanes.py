"""How many sender threads work at once: the fast lane always; one overflow lane more for each
request that has been running a while.

Measured on 2 cores: a Python process spends most of a delivery's CPU in the HTTP client, and
every extra busy thread adds GIL hand-offs (16 busy senders double the CPU per request). A slow
receiver, though, leaves its thread waiting on the network, not on the CPU: opening another lane
for it costs nothing and keeps it from holding up every other endpoint. The fast lane never waits
on a lock here; the main thread opens and closes overflow lanes on its tick. (One fast lane beat
two and three: about 0.9 against 1.1 ms of CPU per delivery.)
"""
from __future__ import annotations

import threading
import time

FAST_LANES = 1  # senders at work while every request is quick
SLOW_REQUEST_SECONDS = 0.02  # a request running longer than this opens an overflow lane


class Lanes:
    def __init__(self, senders: int):
        self.senders = senders
        self.fast = min(FAST_LANES, senders)
        self.started: list[float | None] = [None] * senders  # per sender: its request's start
        self.open = 0  # overflow lanes open now
        self.busy = 0  # overflow lanes in use
        self.condition = threading.Condition()

    def is_fast(self, sender: int) -> bool:
        return sender < self.fast

    def enter_overflow(self) -> None:
        with self.condition:
            while self.busy >= self.open:
                self.condition.wait()
            self.busy += 1

    def leave_overflow(self) -> None:
        with self.condition:
            self.busy -= 1

    def refresh(self) -> None:
        """Main thread, every tick: one overflow lane per request running longer than SLOW."""
        now = time.monotonic()
        slow = sum(1 for since in self.started
                   if since is not None and now - since > SLOW_REQUEST_SECONDS)
        with self.condition:
            wanted = min(self.senders - self.fast, slow)
            if wanted > self.open:
                self.condition.notify(wanted - self.open)
            self.open = wanted

    def open_all(self) -> None:
        """At shutdown: let every overflow sender reach its stop signal."""
        with self.condition:
            self.open = self.senders
            self.condition.notify_all()

    def request_started(self, sender: int) -> None:
        self.started[sender] = time.monotonic()

    def request_ended(self, sender: int) -> None:
        self.started[sender] = None
