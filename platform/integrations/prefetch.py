"""Read ahead: the next page comes from the ERP (waiting on its rate limit) while this one is
written here, so a sync takes about max(fetching, writing) instead of their sum."""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


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
