"""RQ entry points of the ERP integrations: module-level functions, JSON primitives in and out.

`sync_integration(run_id)` runs one sync run (queued with the unique job id
`sync-<integration id>`); `run_pushes()` sends the due pushes to the ERPs. Both take their work
from the database, so running one twice, or after a crash, is safe.
"""
from __future__ import annotations

from ..extensions import db
from .webhooks import worker_app


def sync_integration(run_id: str) -> dict:
    from ..integrations import engine

    app = worker_app()
    with app.app_context():
        try:
            return engine.execute(run_id)
        finally:
            db.session.remove()


def run_pushes(seconds: float = 30.0) -> dict:
    from ..integrations import pushes

    app = worker_app()
    with app.app_context():
        try:
            return pushes.run_due(app.config["MH_SETTINGS"], seconds)
        finally:
            db.session.remove()
