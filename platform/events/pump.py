"""The delivery loop: dispatch the outbox, lease due deliveries in batches, send them on sender
threads that share one HTTP client, and record the results in batches.

The main thread only talks to the database; the senders take leased deliveries from a queue on
their own, so sending never waits for a claim or a write (lanes.py says how many send at once:
few while requests are quick, more while some are slow).
Results are written together, one transaction per batch rather than per delivery.
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
from .claims import (Claim, LeaseRequest, claim_due, lease_seconds, new_lease_token,
                     renew_leases)
from .dispatcher import dispatch_and_lease
from .lanes import Lanes
from .sender import AttemptResult, send

log = logging.getLogger("markethub.webhooks")

IDLE_POLL_SECONDS = 0.025  # how often to look for new work while busy with other work
TICK_SECONDS = 0.01  # the main thread wakes this often, not once per result (GIL hand-offs)
FLUSH_SECONDS = 0.1  # the longest a finished attempt waits to be recorded


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
        self.lanes = Lanes(settings.webhook_concurrency)
        self.threads = [threading.Thread(target=self._sender, args=(n,), daemon=True,
                                         name=f"webhook-send-{n}")
                        for n in range(settings.webhook_concurrency)]
        for thread in self.threads:
            thread.start()

    def close(self) -> None:
        for _ in self.threads:
            self.inbox.put(None)
        self.lanes.open_all()
        for thread in self.threads:
            thread.join()
        self.client.close()

    def _sender(self, number: int) -> None:
        overflow = not self.lanes.is_fast(number)
        while True:
            if overflow:
                self.lanes.enter_overflow()
            claim = self.inbox.get()
            if claim is not None:
                self.lanes.request_started(number)
                self.results.put(self._send(claim))
                self.lanes.request_ended(number)
            if overflow:
                self.lanes.leave_overflow()
            if claim is None:
                return

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
    """One run() of a pump: what is leased and finished, and when to look for more."""

    def __init__(self, pump: Pump, seconds: float):
        self.pump, self.settings = pump, pump.settings
        self.deadline = time.monotonic() + seconds
        self.stats = PumpStats()
        self.token = new_lease_token()
        self.window = max(self.settings.webhook_batch_size, 2 * self.settings.webhook_concurrency)
        self.leased: set[str] = set()  # ids handed to the senders, result not collected yet
        self.finished: list[AttemptResult] = []
        self.first_finished_at = 0.0
        self.next_dispatch = self.next_claim = 0.0
        self.next_renewal = time.monotonic() + lease_seconds(self.settings) / 4
        self.last_dispatched: int | None = None  # None: not looked yet
        self.last_claimed: int | None = None

    def _dispatch(self, now: float) -> None:
        limit = self.settings.webhook_batch_size * 5
        room = max(0, self.window - len(self.leased))
        dispatched = dispatch_and_lease(limit, LeaseRequest(self.settings, self.token, room))
        self._hand_over(dispatched.claims)
        self.last_dispatched = dispatched.events
        self.stats.dispatched += dispatched.events
        self.next_dispatch = now if dispatched.events == limit else now + IDLE_POLL_SECONDS
        if dispatched.events:
            self.next_claim = now  # what it could not lease itself is due at once
        if dispatched.events == limit:
            self.pump.on_backlog()

    def _hand_over(self, claims: list[Claim]) -> None:
        for claim in claims:
            self.leased.add(claim.delivery_id)
            self.pump.inbox.put(claim)

    def _claim(self, now: float) -> None:
        wanted = self.window - len(self.leased)
        claims = claim_due(self.settings, wanted, self.token)
        self._hand_over(claims)
        self.last_claimed = len(claims)
        self.next_claim = now if len(claims) == wanted else now + IDLE_POLL_SECONDS
        if len(claims) == wanted:
            self.pump.on_backlog()  # more is due than this process takes: let another join

    def _poll(self, now: float) -> None:
        if now >= self.next_dispatch:
            self._dispatch(now)
        if now >= self.next_claim and len(self.leased) <= self.window // 2:
            self._claim(now)  # in batches: top up when half the window is done

    def _collect(self) -> None:
        results = []
        while True:
            try:
                results.append(self.pump.results.get_nowait())
            except queue.Empty:
                break
        if results and not self.finished:
            self.first_finished_at = time.monotonic()
        self.finished += results
        for result in results:  # a run cut short (job timeout) may leave results: record them too
            self.leased.discard(result.claim.delivery_id)

    def _flush_due(self) -> bool:
        return bool(self.finished) and (
            not self.leased or len(self.finished) >= self.settings.webhook_batch_size
            or time.monotonic() - self.first_finished_at >= FLUSH_SECONDS)

    def _flush(self) -> None:
        recorder.record(self.settings, self.finished)
        self.stats.attempted += sum(r.outcome != "refused" for r in self.finished)
        self.stats.succeeded += sum(r.outcome == "succeeded" for r in self.finished)
        self.finished = []

    def _renew(self, now: float) -> None:
        if now >= self.next_renewal and self.leased:
            renew_leases(self.settings, self.token, self.leased)
            self.next_renewal = now + lease_seconds(self.settings) / 4

    def loop(self) -> PumpStats:
        while True:
            now = time.monotonic()
            if now < self.deadline:
                self._poll(now)
            self._renew(now)
            if self._flush_due():
                self._flush()
            if self.leased:
                time.sleep(TICK_SECONDS)
                self.pump.lanes.refresh()
                self._collect()
            elif not self.finished:
                quiet = self.last_dispatched == 0 and self.last_claimed == 0
                if quiet or now >= self.deadline:
                    self.stats.more_work = not quiet
                    return self.stats
                time.sleep(max(0.0, min(self.next_dispatch, self.next_claim) - now))
