"""Read ahead: the next page comes from the ERP (waiting on its rate limit) while this one is
written here, so a sync takes about max(fetching, writing) instead of their sum.

While reading ahead the interpreter switches threads every millisecond instead of every 5: the
reading thread must send the moment the governor lets it (the ERP counts arrival times, and a
request held back behind the writing thread lands in the next window: measured, one 429 per
~50 requests at Python's default, none at 1 ms)."""
from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()
SWITCH_INTERVAL = 0.001


def prefetched(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """Iterate `items` on a thread, at most `depth` ahead; its exceptions are raised here.

    Stopping early (an exception here, or closing the generator) tells the thread to stop at
    its next item; it is a daemon, so a request it is waiting on never holds the process."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stopping = threading.Event()

    def offer(entry) -> bool:
        while not stopping.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((True, item)):
                    return
            offer((True, _END))
        except BaseException as error:  # handed to the consumer, which raises it
            offer((False, error))

    thread = threading.Thread(target=produce, name="sync-prefetch", daemon=True)
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(previous_interval, SWITCH_INTERVAL))
    thread.start()
    try:
        while True:
            ok, item = buffer.get()
            if not ok:
                raise item
            if item is _END:
                return
            yield item
    finally:
        stopping.set()
        thread.join(timeout=1.0)
        sys.setswitchinterval(previous_interval)
