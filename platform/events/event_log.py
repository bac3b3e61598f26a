"""The tenant's event log, for integrators who pull instead of receiving webhooks."""
from __future__ import annotations

from sqlalchemy import select

from ..auth.principal import Principal
from ..models import Event
from .catalogue import expand
from .operations import TEST_ORIGIN
from .payload import envelope


def list_statement(principal: Principal, args: dict):
    statement = select(Event).where(Event.tenant_id == principal.tenant_id,
                                    Event.origin != TEST_ORIGIN)
    if args.get("type"):
        statement = statement.where(Event.type.in_(expand([args["type"]])))
    if "since" in args:
        statement = statement.where(Event.created_at >= args["since"])
    if "until" in args:
        statement = statement.where(Event.created_at < args["until"])
    return statement


def represent(event: Event) -> dict:
    """The same shape as the webhook payload."""
    return envelope(event.id, event.type, event.created_at, event.tenant_id, event.data)
