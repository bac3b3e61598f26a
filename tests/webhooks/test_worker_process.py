"""`markethub worker` (the Procfile's worker line) runs the delivery pool with its sweeper and
the RQ jobs pool, and stops cleanly on SIGTERM."""
from __future__ import annotations

import signal

from standardwebhooks import Webhook

from webhook_support import start_worker, stop


def test_markethub_worker_delivers_and_stops_cleanly(make_hook, make_product, receiver,
                                                     hooks_settings, tmp_path):
    hook = make_hook()
    log = tmp_path / "worker.log"
    worker = start_worker(hooks_settings, log)  # no --pool: everything, supervised
    try:
        make_product()
        [request] = receiver.wait_for(1, timeout=30)
        assert Webhook(hook["secret"]).verify(request.body, request.headers)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert stop(worker) == 0, log.read_text()[-3000:]
