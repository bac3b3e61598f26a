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
    "webhook.created": "Webhook criado",
    "webhook.updated": "Webhook alterado",
    "webhook.deleted": "Webhook excluído",
    "webhook.secret_rotated": "Segredo do webhook trocado",
    "webhook.disabled": "Webhook desativado pelo sistema",
}
ACTOR_LABELS = {
    "cli": "Operador (linha de comando)",
    "api_key": "Chave de API",
    "oauth_client": "Cliente OAuth",
    "integration": "Integração",
    "system": "Sistema",
}


def _hub_users(entries) -> dict[str, HubUser]:
    wanted = {e.actor_id for e in entries if e.actor_type == "hub_user" and e.actor_id}
    if not wanted:
        return {}
    users = db.session.execute(tenant_select(HubUser).where(HubUser.id.in_(wanted)))
    return {user.id: user for user in users.scalars()}


def describe_actor(entry: AuditEntry, users: dict[str, HubUser]) -> tuple[str, str]:
    """(who, detail): a hub user's name and e-mail, or the kind of credential and its id."""
    if entry.actor_type == "hub_user":
        user = users.get(entry.actor_id)
        return (user.name, user.email) if user else ("Usuário removido", entry.actor_id or "")
    return ACTOR_LABELS.get(entry.actor_type, entry.actor_type), entry.actor_id or ""


def _target_name(entry: AuditEntry) -> str:
    details = entry.details or {}
    return details.get("name") or details.get("url") or entry.target_id


@web.get("/audit")
def audit():
    entries = db.session.execute(tenant_select(AuditEntry).order_by(AuditEntry.id.desc())
                                 .limit(PAGE_SIZE)).scalars().all()
    users = _hub_users(entries)
    rows = [{"entry": e, "actor": describe_actor(e, users),
             "action": ACTION_LABELS.get(e.action, e.action),
             "target": _target_name(e)} for e in entries]
    return render_template("audit.html", rows=rows, page_size=PAGE_SIZE)
