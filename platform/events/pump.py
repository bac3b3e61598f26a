"""The delivery loop: dispatch the outbox, lease due deliveries in batches, send them on sender
threads that share one HTTP client, and record the results in batches.

Measured on 2 cores (see bench/webhooks_bench.py): a Python process spends most of a delivery's
CPU in the HTTP client, and every extra runnable thread adds GIL hand-offs (16 busy threads
double the CPU per request). So only a small fast lane of senders works while requests are
quick; each request that has been running for a while (a slow receiver) opens one more lane, up
to `webhook_concurrency`, so a slow endpoint never holds up the others.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

from ..settings import Settings
from . import recorder, ssrf
from .claims import Claim, claim_due, lease_seconds, new_lease_token, renew_leases
from .dispatcher import dispatch_pending
from .sender import AttemptResult, send

log = logging.getLogger("markethub.webhooks")

IDLE_POLL_SECONDS = 0.025  # how often to look for new work while busy with other work
FLUSH_SECONDS = 0.02  # the longest a finished attempt waits to be recorded
FAST_LANES = 2  # senders at work while every request is quick
SLOW_REQUEST_SECONDS = 0.02  # a request running longer than this opens another lane


@dataclass
class PumpStats:
    dispatched: int = 0
    attempted: int = 0
    succeeded: int = 0
    more_work: bool = False  # stopped by the time budget with work left


class Pump:
    """Long-lived per process: its connections and sender threads serve every run()."""

    def __init__(self, settings: Settings, on_backlog: Callable[[], None] | None = None):
        self.settings = settings
        self.on_backlog = on_backlog or (lambda: None)
        self.client = ssrf.guarded_client(settings, settings.webhook_concurrency)
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        self.threads = [threading.Thread(target=self._sender, name=f"webhook-send-{n}",
                                         daemon=True)
                        for n in range(settings.webhook_concurrency)]
        for thread in self.threads:
            thread.start()

    def close(self) -> None:
        for _ in self.threads:
            self.inbox.put(None)
        for thread in self.threads:
            thread.join()
        self.client.close()

    def _sender(self) -> None:
        while (claim := self.inbox.get()) is not None:
            self.results.put(self._send(claim))

    def _send(self, claim: Claim) -> AttemptResult:
        try:
            return send(self.client, self.settings, claim)
        except Exception as error:  # a bug must not lose the delivery: record it, retry later
            log.exception("webhook send crashed", extra={"delivery_id": claim.delivery_id})
            return AttemptResult(claim, outcome="retry",
                                 error=f"Internal error while sending ({type(error).__name__}).")

    def run(self, seconds: float) -> PumpStats:
        """Works until idle or until `seconds` have passed (then finishes what it leased)."""
        return _Run(self, seconds).loop()


class _Run:
    """One run() of a pump: what is leased, handed to senders and finished; when to look again."""

    def __init__(self, pump: Pump, seconds: float):
        self.pump, self.settings = pump, pump.settings
        self.deadline = time.monotonic() + seconds
        self.stats = PumpStats()
        self.token = new_lease_token()
        self.window = max(self.settings.webhook_batch_size, 2 * self.settings.webhook_concurrency)
        self.waiting: deque[Claim] = deque()  # leased, not handed to a sender yet
        self.sending: dict[str, float] = {}  # delivery id → when it was handed to a sender
        self.finished: list[AttemptResult] = []
        self.first_finished_at = 0.0
        self.next_dispatch = self.next_claim = 0.0
        self.next_renewal = time.monotonic() + lease_seconds(self.settings) / 4
        self.last_dispatched: int | None = None  # None: not looked yet
        self.last_claimed: int | None = None

    @property
    def leased(self) -> int:
        return len(self.waiting) + len(self.sending)

    def _dispatch(self, now: float) -> None:
        limit = self.settings.webhook_batch_size * 5
        self.last_dispatched = dispatched = dispatch_pending(limit)
        self.stats.dispatched += dispatched
        self.next_dispatch = now if dispatched == limit else now + IDLE_POLL_SECONDS
        if dispatched:
            self.next_claim = now  # its deliveries are due at once
        if dispatched == limit:
            self.pump.on_backlog()

    def _claim(self, now: float) -> None:
        wanted = self.window - self.leased
        claims = claim_due(self.settings, wanted, self.token)
        self.waiting.extend(claims)
        self.last_claimed = len(claims)
        self.next_claim = now if len(claims) == wanted else now + IDLE_POLL_SECONDS
        if len(claims) == wanted:
            self.pump.on_backlog()  # more is due than this process takes: let another join

    def _poll(self, now: float) -> None:
        if now >= self.next_dispatch:
            self._dispatch(now)
        if now >= self.next_claim and self.leased <= self.window // 2:
            self._claim(now)  # in batches: top up when half the window is done

    def _hand_out(self, now: float) -> None:
        slow = sum(now - since > SLOW_REQUEST_SECONDS for since in self.sending.values())
        lanes = min(self.settings.webhook_concurrency, FAST_LANES + slow)
        while self.waiting and len(self.sending) < lanes:
            claim = self.waiting.popleft()
            self.sending[claim.delivery_id] = now
            self.pump.inbox.put(claim)

    def _collect(self, timeout: float) -> None:
        try:
            results = [self.pump.results.get(timeout=timeout)]
        except queue.Empty:
            return
        while True:
            try:
                results.append(self.pump.results.get_nowait())
            except queue.Empty:
                break
        if not self.finished:
            self.first_finished_at = time.monotonic()
        self.finished += results
        for result in results:  # a run cut short (job timeout) may leave results: record them too
            self.sending.pop(result.claim.delivery_id, None)

    def _flush_due(self) -> bool:
        return bool(self.finished) and (
            not self.sending or len(self.finished) >= self.settings.webhook_batch_size
            or time.monotonic() - self.first_finished_at >= FLUSH_SECONDS)

    def _flush(self) -> None:
        recorder.record(self.settings, self.finished)
        self.stats.attempted += sum(r.outcome != "refused" for r in self.finished)
        self.stats.succeeded += sum(r.outcome == "succeeded" for r in self.finished)
        self.finished = []

    def _renew(self, now: float) -> None:
        if now >= self.next_renewal and self.leased:
            renew_leases(self.settings, self.token,
                         [c.delivery_id for c in self.waiting] + list(self.sending))
            self.next_renewal = now + lease_seconds(self.settings) / 4

    def loop(self) -> PumpStats:
        while True:
            now = time.monotonic()
            if now < self.deadline:
                self._poll(now)
            self._hand_out(now)
            self._renew(now)
            if self._flush_due():
                self._flush()
            if self.sending:
                self._collect(timeout=FLUSH_SECONDS)
            elif not self.finished and not self.waiting:
                quiet = self.last_dispatched == 0 and self.last_claimed == 0
                if quiet or now >= self.deadline:
                    self.stats.more_work = not quiet
                    return self.stats
                time.sleep(max(0.0, min(self.next_dispatch, self.next_claim) - now))
