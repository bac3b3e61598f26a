"""Runs the worker pools as child processes and stops them together.

If one child dies, the others are stopped and we exit non-zero, so the platform (Heroku, honcho,
systemd) restarts the whole worker; if we die, the children notice and stop too. Work in flight
is never lost either way: leases expire and the sweeper re-enqueues.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time

log = logging.getLogger("markethub.worker")


def _stop_when_orphaned(parent_pid: int) -> None:
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)  # warm shutdown: finish the current job first

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _child(pool: str, burst: bool, parent_pid: int) -> None:
    from ..settings import Settings
    from .worker import run_worker

    _stop_when_orphaned(parent_pid)
    run_worker(Settings(), pool, burst)


def _terminate(children) -> None:
    for child in children:
        if child.is_alive():
            os.kill(child.pid, signal.SIGTERM)


def supervise(pools: list[tuple[str, int]], burst: bool = False) -> None:
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited sockets
    children = [context.Process(target=_child, args=(pool, burst, os.getpid()),
                                name=f"markethub-worker-{pool}-{index}")
                for pool, count in pools for index in range(count)]
    for child in children:
        child.start()
    stopping = threading.Event()

    def on_signal(signum, _frame):
        if not stopping.is_set():
            stopping.set()
            if signum == signal.SIGTERM:  # Ctrl+C already reached the children (same group)
                _terminate(children)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    exit_code = 0
    while any(child.is_alive() for child in children):
        time.sleep(0.2)
        dead = [child for child in children if not child.is_alive()]
        if dead and not stopping.is_set() and not burst:
            log.error("worker process %s exited with %s; stopping the others",
                      dead[0].name, dead[0].exitcode)
            exit_code = dead[0].exitcode or 1
            stopping.set()
            _terminate(children)
    sys.exit(exit_code)
