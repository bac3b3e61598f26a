"""The delivery loop: dispatch the outbox, lease due deliveries, send them on sender threads that
share one HTTP client, and record the results in batches.

`webhook_concurrency` requests are in flight at once, so one slow receiver does not stall the
others. The loop keeps up to twice that many leased (so threads never wait for the next claim),
and writes results together, one transaction per batch rather than per delivery: that is what
lets one process sustain about a thousand deliveries a second with every attempt persisted.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..settings import Settings
from . import recorder, ssrf
from .claims import Claim, claim_due
from .dispatcher import dispatch_pending
from .sender import AttemptResult, send

log = logging.getLogger("markethub.webhooks")

IDLE_POLL_SECONDS = 0.025  # how often to look for new work while busy with other work
FLUSH_SECONDS = 0.02  # the longest a finished attempt waits to be recorded


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
        """Works until idle or until `seconds` have passed (then finishes what is in flight)."""
        return _Run(self, seconds).loop()


class _Run:
    """One run() of a pump: what is leased, in flight and finished, and when to look again."""

    def __init__(self, pump: Pump, seconds: float):
        self.pump, self.settings = pump, pump.settings
        self.deadline = time.monotonic() + seconds
        self.stats = PumpStats()
        self.outstanding = 0  # handed to the senders, result not collected yet
        self.finished: list[AttemptResult] = []
        self.first_finished_at = 0.0
        self.next_dispatch = self.next_claim = 0.0
        self.last_dispatched: int | None = None  # None: not looked yet
        self.last_claimed: int | None = None

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
        wanted = 2 * self.settings.webhook_concurrency - self.outstanding
        claims = claim_due(self.settings, wanted)
        for claim in claims:
            self.pump.inbox.put(claim)
        self.outstanding += len(claims)
        self.last_claimed = len(claims)
        self.next_claim = now if len(claims) == wanted else now + IDLE_POLL_SECONDS
        if len(claims) == wanted:
            self.pump.on_backlog()  # more is due than this process takes: let another join

    def _poll(self, now: float) -> None:
        if now >= self.next_dispatch:
            self._dispatch(now)
        # Top up when half the leased work is done, so the senders never wait for a claim.
        if now >= self.next_claim and self.outstanding <= self.settings.webhook_concurrency:
            self._claim(now)

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
        self.outstanding -= len(results)

    def _flush(self) -> None:
        recorder.record(self.settings, self.finished)
        self.stats.attempted += sum(r.outcome != "refused" for r in self.finished)
        self.stats.succeeded += sum(r.outcome == "succeeded" for r in self.finished)
        self.finished = []

    def _flush_due(self) -> bool:
        return bool(self.finished) and (
            self.outstanding == 0 or len(self.finished) >= self.settings.webhook_batch_size
            or time.monotonic() - self.first_finished_at >= FLUSH_SECONDS)

    def loop(self) -> PumpStats:
        while True:
            now = time.monotonic()
            if now < self.deadline:
                self._poll(now)
            if self._flush_due():
                self._flush()
            if self.outstanding:
                self._collect(timeout=FLUSH_SECONDS)
            elif not self.finished:
                quiet = self.last_dispatched == 0 and self.last_claimed == 0
                if quiet or now >= self.deadline:
                    self.stats.more_work = not quiet
                    return self.stats
                time.sleep(max(0.0, min(self.next_dispatch, self.next_claim) - now))
