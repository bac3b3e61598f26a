"""Auditoria: who created or revoked what in this tenant, newest first."""
from __future__ import annotations

from flask import render_template
from ..api.common import tenant_select
from ..extensions import db
from ..models import AuditEntry, HubUser
from .blueprint import web

PAGE_SIZE = 100
ACTION_LABELS = {
    "api_key.created": "Chave de API criada",
    "api_key.revoked": "Chave de API revogada",
    "oauth_client.created": "Cliente OAuth criado",
    "oauth_client.revoked": "Cliente OAuth revogado",
}
ACTOR_LABELS = {
    "cli": "Operador (linha de comando)",
    "api_key": "Chave de API",
    "oauth_client": "Cliente OAuth",
    "integration": "Integração",
}


def _actor_names(entries) -> dict[str, str]:
    wanted = {e.actor_id for e in entries if e.actor_type == "hub_user" and e.actor_id}
    if not wanted:
        return {}
    users = db.session.execute(tenant_select(HubUser).where(HubUser.id.in_(wanted)))
    return {user.id: f"{user.name} <{user.email}>" for user in users.scalars()}


def describe_actor(entry: AuditEntry, names: dict[str, str]) -> str:
    if entry.actor_type == "hub_user":
        return names.get(entry.actor_id, f"Usuário {entry.actor_id}")
    label = ACTOR_LABELS.get(entry.actor_type, entry.actor_type)
    return f"{label} {entry.actor_id}" if entry.actor_id else label


@web.get("/audit")
def audit():
    entries = db.session.execute(tenant_select(AuditEntry).order_by(AuditEntry.id.desc())
                                 .limit(PAGE_SIZE)).scalars().all()
    names = _actor_names(entries)
    rows = [{"entry": e, "actor": describe_actor(e, names),
             "action": ACTION_LABELS.get(e.action, e.action),
             "target": (e.details or {}).get("name") or e.target_id} for e in entries]
    return render_template("audit.html", rows=rows, page_size=PAGE_SIZE)
