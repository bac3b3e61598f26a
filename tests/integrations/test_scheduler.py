"""The scheduler's tick (run every second by the worker's sweeper): automatic syncs when due,
one run per integration however many workers tick, manual ones never."""
from __future__ import annotations

from datetime import timedelta

from erp_support import work_queues
from redis import Redis
from sqlalchemy import select, text

from markethub.platform.db import utcnow
from markethub.platform.extensions import db
from markethub.platform.integrations import scheduler
from markethub.platform.models import Integration, SyncRun


def _runs(app, integration_id: str) -> list[SyncRun]:
    with app.app_context():
        rows = db.session.execute(select(SyncRun).where(
            SyncRun.integration_id == integration_id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_an_automatic_integration_syncs_when_due_and_then_every_interval(app, api, start_erp,
                                                                        connect):
    start_erp("tiny", products=15, orders=2)
    automatic = connect("tiny", sync_mode="automatic", sync_interval_minutes=30)
    manual = connect("tiny", sync_mode="manual")
    assert automatic["next_sync_at"] is not None and manual["next_sync_at"] is None

    first, second = scheduler.tick(app), scheduler.tick(app)  # two workers ticking
    work_queues(app)

    (run,) = _runs(app, automatic["id"])
    assert first["scheduled"] == 1 and second["scheduled"] == 0
    assert run.trigger == "scheduled" and run.status == "succeeded"
    assert _runs(app, manual["id"]) == []
    with app.app_context():
        row = db.session.get(Integration, automatic["id"])
        due_in = row.next_sync_at - utcnow()
    assert timedelta(minutes=29) < due_in <= timedelta(minutes=30)
    assert scheduler.tick(app)["scheduled"] == 0

    with app.app_context():  # half an hour later
        db.session.execute(text("UPDATE integrations SET next_sync_at = :at WHERE id = :id"),
                           {"at": utcnow() - timedelta(seconds=1), "id": automatic["id"]})
        db.session.commit()
    assert scheduler.tick(app)["scheduled"] == 1
    work_queues(app)
    assert [r.trigger for r in _runs(app, automatic["id"])] == ["scheduled", "scheduled"]


def test_a_queued_run_whose_job_was_lost_is_queued_again(app, api, start_erp, connect):
    start_erp("tiny", products=5, orders=0)
    integration = connect("tiny")
    run_id = api.post(f"/v1/integrations/{integration['id']}/sync").json["id"]
    Redis.from_url(app.config["MH_SETTINGS"].redis_url).flushdb()  # Redis lost everything
    with app.app_context():
        db.session.execute(text("UPDATE sync_runs SET enqueued_at = :at WHERE id = :id"),
                           {"at": utcnow() - timedelta(minutes=2), "id": run_id})
        db.session.commit()

    assert scheduler.tick(app)["requeued"] == 1
    work_queues(app)
    assert api.get(f"/v1/integrations/runs/{run_id}").json["status"] == "succeeded"
