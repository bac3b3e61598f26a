"""What the Integrations pages read: a card per ERP of the connector catalogue (the tenant's
integrations of it, each with its latest run), and an integration's sync log and pushes.
Every query goes through the integration services' tenant-scoped statements (another tenant's
id is a 404)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import g
from sqlalchemy import func, select

from markethub.connectors import registry
from markethub.connectors.sdk import Connector

from ..api.common import CURSOR_SHAPE, paginate
from ..errors import NotFoundError
from ..extensions import db
from ..models import Integration, IntegrationPush, SyncRun
from ..models.integration import ACTIVE_RUN_STATUSES
from ..services import integration_runs, integrations
from .integration_text import ERP_DESCRIPTIONS

RUNS_PER_PAGE = 20
RECENT_PUSHES = 20


@dataclass
class IntegrationView:
    integration: Integration
    last_run: SyncRun | None

    @property
    def syncing(self) -> bool:
        return self.last_run is not None and self.last_run.status in ACTIVE_RUN_STATUSES


@dataclass
class ErpCard:
    key: str
    label: str
    description: str
    oauth: bool
    views: list[IntegrationView] = field(default_factory=list)

    @property
    def initials(self) -> str:
        return self.label[:2]


def connector(provider: str) -> Connector:
    return registry.get(provider)


def _catalogue_entries() -> list[dict]:
    return integration_runs.connector_catalogue()["connectors"]


def latest_runs(integration_ids: list[str]) -> dict[str, SyncRun]:
    if not integration_ids:
        return {}
    newest = (select(func.max(SyncRun.id)).where(SyncRun.tenant_id == g.principal.tenant_id,
                                                 SyncRun.integration_id.in_(integration_ids))
              .group_by(SyncRun.integration_id))
    rows = db.session.execute(select(SyncRun).where(SyncRun.id.in_(newest))).scalars()
    return {run.integration_id: run for run in rows}


def erp_cards() -> list[ErpCard]:
    """One card per connector of the catalogue, holding the tenant's integrations of it
    (oldest first: the one the seller connected first stays on top)."""
    rows = db.session.execute(integrations.list_statement(g.principal)
                              .order_by(Integration.id)).scalars().all()
    runs = latest_runs([row.id for row in rows])
    cards = []
    for entry in _catalogue_entries():
        card = ErpCard(entry["key"], entry["label"],
                       ERP_DESCRIPTIONS.get(entry["key"], entry["description"]),
                       entry["auth"]["kind"] == "oauth2")
        card.views = [IntegrationView(row, runs.get(row.id)) for row in rows
                      if row.provider == card.key]
        cards.append(card)
    return cards


def integration_view(integration_id: str) -> IntegrationView:
    integration = integrations.get_integration(g.principal, integration_id)  # else 404
    return IntegrationView(integration, latest_runs([integration.id]).get(integration.id))


@dataclass
class RunPage:
    runs: list[SyncRun]
    next_cursor: str | None
    first_page: bool


def run_page(integration_id: str, cursor: str | None) -> RunPage:
    cursor = cursor if cursor and re.fullmatch(CURSOR_SHAPE, cursor) else None
    statement = integration_runs.runs_statement(g.principal, integration_id)
    page = paginate(statement, SyncRun.id, {"limit": RUNS_PER_PAGE, "cursor": cursor})
    return RunPage(page["data"], page["next_cursor"], cursor is None)


def recent_pushes(integration_id: str) -> list[IntegrationPush]:
    statement = integration_runs.pushes_statement(g.principal, integration_id)
    return db.session.execute(statement.order_by(IntegrationPush.id.desc())
                              .limit(RECENT_PUSHES)).scalars().all()


def owned_run(integration_id: str, run_id: str) -> SyncRun:
    """The run, if it is this integration's and the tenant's; else a 404."""
    run = integration_runs.get_run(g.principal, run_id)
    if run.integration_id != integration_id:
        raise NotFoundError("sync_run", run_id)
    return run
