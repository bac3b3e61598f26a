"""A sync run whose worker process is killed mid-way resumes after its last stored page: the
scheduler's tick sees the lease expire and queues it again; nothing is read twice into our
catalogue and nothing is lost."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from erp_support import run_sync, work_queues
from sqlalchemy import func, select, text

from markethub.platform.extensions import db
from markethub.platform.integrations import engine, scheduler
from markethub.platform.models import Product, SyncRun

WORKER = ("import sys; from markethub.platform.jobs.sync import sync_integration; "
          "sync_integration(sys.argv[1])")


def _run_row(app, run_id: str) -> dict:
    with app.app_context():
        row = db.session.get(SyncRun, run_id)
        data = {"status": row.status, "resume": row.resume, "attempts": row.attempts,
                "counts": row.counts}
        db.session.remove()
        return data


def _worker_process(settings, run_id: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
           "MARKETHUB_ENV": "test", "MARKETHUB_LOG_LEVEL": "WARNING",
           "MARKETHUB_BLING_BASE_URL": settings.bling_base_url,
           "MARKETHUB_BLING_REQUESTS_PER_SECOND": "2"}  # slow enough to kill mid-way
    return subprocess.Popen([sys.executable, "-c", WORKER, run_id], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_first_page(app, run_id: str, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = _run_row(app, run_id)
        if row["resume"]:
            return row
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.02)
    raise AssertionError("the worker stored no page")


def test_a_run_killed_mid_way_resumes_after_its_last_stored_page(app, api, start_erp, connect,
                                                                 account):
    bling = start_erp("bling", products=350, orders=0)
    integration = connect("bling")
    run_id = api.post(f"/v1/integrations/{integration['id']}/sync").json["id"]
    bling.clear_calls()

    process = _worker_process(app.config["MH_SETTINGS"], run_id)
    stored = _wait_for_first_page(app, run_id, process)
    process.send_signal(signal.SIGKILL)  # no cleanup of any kind
    process.wait(10)
    killed = _run_row(app, run_id)
    reads_before = len(bling.calls("/Api/v3/produtos"))

    with app.app_context():  # the lease runs out (5 minutes, in real life)
        db.session.execute(text("UPDATE sync_runs SET lease_expires_at = enqueued_at "
                                "WHERE id = :id"), {"id": run_id})
        db.session.commit()
    ticked = scheduler.tick(app)
    work_queues(app)
    finished = api.get(f"/v1/integrations/runs/{run_id}").json

    assert killed["status"] == "running" and killed["attempts"] == 1
    assert ticked["requeued"] == 1
    assert finished["status"] == "succeeded", finished
    page = killed["resume"]["token"]["page"]
    reads_after = bling.calls("/Api/v3/produtos")[reads_before:]
    assert [c["query"]["pagina"] for c in reads_after][0] == str(page + 1)
    assert stored["resume"]["token"]["page"] <= page
    assert _run_row(app, run_id)["attempts"] == 2
    # A product the killed worker made after its last stored page is found again by SKU.
    counts = finished["counts"]["product"]
    assert counts["failed"] == 0 and counts["created"] + counts["unchanged"] == 350
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Product).where(
            Product.tenant_id == account.tenant_id))
    assert total == 350


def test_a_run_that_failed_is_continued_by_the_next_one(app, api, start_erp, connect,
                                                        account, monkeypatch):
    omie = start_erp("omie", products=600, orders=0, customers=1)
    integration = connect("omie")
    path = f"/v1/integrations/{integration['id']}/sync"
    first_id = api.post(path).json["id"]
    save_page = engine.runs.save_page

    def store_then_lose_the_erp(*args, **kwargs):
        save_page(*args, **kwargs)
        omie.server.stop()  # Omie goes away after a page

    monkeypatch.setattr(engine.runs, "save_page", store_then_lose_the_erp)
    run_sync(app, first_id)
    monkeypatch.setattr(engine.runs, "save_page", save_page)
    failed = api.get(f"/v1/integrations/runs/{first_id}").json
    stopped_at = _run_row(app, first_id)["resume"]["token"]["page"]

    back = start_erp("omie", products=600, orders=0, customers=1)  # Omie is back
    second_id = api.post(path).json["id"]
    run_sync(app, second_id)
    second = api.get(f"/v1/integrations/runs/{second_id}").json

    assert failed["status"] == "failed" and failed["error"]["code"] == "erp_unreachable"
    assert failed["error"]["retryable"] is True
    assert second["status"] == "succeeded", second
    listed = [c["body"]["param"][0]["pagina"] for c in back.calls("/api/v1/geral/produtos/")]
    assert listed[0] == stopped_at + 1
    created = failed["counts"]["product"]["created"] + second["counts"]["product"]["created"]
    assert created == 600
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Product).where(
            Product.tenant_id == account.tenant_id)) == 600
