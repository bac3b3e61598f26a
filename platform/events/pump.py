"""The delivery loop: dispatch the outbox, lease due deliveries, send them on a thread pool with one
reused HTTP client, and record the results in batches.

Up to `webhook_concurrency` requests are in flight, so one slow receiver does not stall the
others; results are written together (one transaction per batch, not per delivery), which is what
lets one process sustain over a thousand deliveries a second with every attempt persisted.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable

from ..settings import Settings
from . import recorder, ssrf
from .claims import Claim, claim_due
from .dispatcher import dispatch_pending
from .sender import AttemptResult, send

log = logging.getLogger("markethub.webhooks")

IDLE_POLL_SECONDS = 0.025  # how often to look for work while requests are in flight
FLUSH_SECONDS = 0.02  # the longest a finished attempt waits to be recorded
DISPATCH_LIMIT = 500


@dataclass
class PumpStats:
    dispatched: int = 0
    attempted: int = 0
    succeeded: int = 0
    more_work: bool = False  # stopped by the time budget with work left


class Pump:
    """Long-lived per process: its HTTP connections and threads are reused by every run()."""

    def __init__(self, settings: Settings, on_backlog: Callable[[], None] | None = None):
        self.settings = settings
        self.on_backlog = on_backlog or (lambda: None)
        self.client = ssrf.guarded_client(settings, settings.webhook_concurrency)
        self.threads = ThreadPoolExecutor(settings.webhook_concurrency,
                                          thread_name_prefix="webhook-send")

    def close(self) -> None:
        self.threads.shutdown(wait=True)
        self.client.close()

    def _send(self, claim: Claim) -> AttemptResult:
        try:
            return send(self.client, self.settings, claim)
        except Exception as error:  # a bug must not lose the delivery: record it and retry later
            log.exception("webhook send crashed", extra={"delivery_id": claim.delivery_id})
            return AttemptResult(claim, outcome="retry",
                                 error=f"Internal error while sending ({type(error).__name__}).")

    def _poll(self, in_flight: set[Future], stats: PumpStats) -> bool:
        """Dispatch and lease more work; True if any was found."""
        dispatched = dispatch_pending(DISPATCH_LIMIT)
        stats.dispatched += dispatched
        free = self.settings.webhook_concurrency - len(in_flight)
        wanted = min(free, self.settings.webhook_batch_size)
        claims = claim_due(self.settings, wanted) if wanted else []
        in_flight.update(self.threads.submit(self._send, claim) for claim in claims)
        if dispatched == DISPATCH_LIMIT or (wanted and len(claims) == wanted):
            self.on_backlog()  # more work than this process can take: let another join
        return bool(dispatched or claims)

    def _record(self, results: list[AttemptResult], stats: PumpStats) -> None:
        recorder.record(self.settings, results)
        stats.attempted += sum(result.outcome != "refused" for result in results)
        stats.succeeded += sum(result.outcome == "succeeded" for result in results)

    def _can_poll(self, in_flight: set[Future]) -> bool:
        """Poll when a quarter of the slots are free (or none is busy): claims come in batches."""
        free = self.settings.webhook_concurrency - len(in_flight)
        return not in_flight or free >= max(1, self.settings.webhook_concurrency // 4)

    def run(self, seconds: float) -> PumpStats:
        """Works until idle or until `seconds` have passed (then finishes what is in flight)."""
        stats, in_flight, finished = PumpStats(), set(), []
        deadline = time.monotonic() + seconds
        next_poll = first_finished_at = 0.0
        found = True
        while True:
            now = time.monotonic()
            can_poll = now < deadline and self._can_poll(in_flight)
            if can_poll and now >= next_poll:
                found = self._poll(in_flight, stats)
                next_poll = now if found else now + IDLE_POLL_SECONDS
            if not in_flight and not finished and (not found or now >= deadline):
                stats.more_work = found
                return stats
            if in_flight:
                timeout = max(0.001, next_poll - now) if can_poll else FLUSH_SECONDS
                done, in_flight = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
                if done and not finished:
                    first_finished_at = time.monotonic()
                finished.extend(future.result() for future in done)
            if finished and (not in_flight or len(finished) >= self.settings.webhook_batch_size
                             or time.monotonic() - first_finished_at >= FLUSH_SECONDS):
                self._record(finished, stats)
                finished = []
