"""Who created, changed or revoked keys, clients, integrations and webhooks."""
from __future__ import annotations

from flask import g, has_request_context, request

from ..auth.principal import Principal
from ..models import AuditEntry


def record(session, principal: Principal, action: str, target_type: str, target_id: str,
           details: dict | None = None) -> None:
    in_request = has_request_context()
    session.add(AuditEntry(
        tenant_id=principal.tenant_id, actor_type=principal.actor_type,
        actor_id=principal.actor_id, action=action, target_type=target_type,
        target_id=target_id, details=details or {},
        request_id=g.get("request_id") if in_request else None,
        ip=request.remote_addr if in_request else None))
