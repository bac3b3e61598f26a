"""An integration's sync log: its runs, newest first (status, trigger, start, duration, counts,
requests made), a run's detail with the items refused in the ERP's words, and the recent pushes
to the ERP (stock, orders, invoices) with what the ERP answered."""
from __future__ import annotations

from flask import render_template, request

from .blueprint import web
from .integration_queries import (connector, integration_view, owned_run, recent_pushes,
                                  run_page)

REFRESH_SECONDS = 3  # while a run is queued or running, the page reloads itself (hub.js)


@web.get("/integrations/<integration_id>")
def integration_log(integration_id: str):
    view = integration_view(integration_id)  # another tenant's id: 404
    integration = view.integration
    return render_template("integrations/log.html", view=view,
                           erp=connector(integration.provider).label,
                           page=run_page(integration.id, request.args.get("cursor")),
                           pushes=recent_pushes(integration.id),
                           refresh=REFRESH_SECONDS if view.syncing else None)


@web.get("/integrations/<integration_id>/runs/<run_id>")
def integration_run(integration_id: str, run_id: str):
    view = integration_view(integration_id)
    run = owned_run(view.integration.id, run_id)
    active = run.status in ("queued", "running")
    return render_template("integrations/run.html", view=view, run=run,
                           erp=connector(view.integration.provider).label,
                           refresh=REFRESH_SECONDS if active else None)
