"""Scopes as people read them in the hub: grouped by resource, in Portuguese."""
from __future__ import annotations

from dataclasses import dataclass

from ..auth.scopes import ALL_SCOPES, RESOURCES

RESOURCE_LABELS = {
    "products": "Produtos",
    "orders": "Pedidos",
    "inventory": "Estoque",
    "customers": "Clientes",
    "integrations": "Integrações",
    "webhooks": "Webhooks",
    "events": "Eventos",
}
ACTION_LABELS = {"read": "leitura", "write": "escrita"}


@dataclass(frozen=True)
class ScopeGroup:
    resource: str
    label: str
    scopes: tuple[tuple[str, str], ...]  # (scope, action label)


def scope_groups() -> list[ScopeGroup]:
    groups = []
    for resource in RESOURCES:
        scopes = tuple((scope, ACTION_LABELS[scope.split(":")[1]])
                       for scope in ALL_SCOPES if scope.split(":")[0] == resource)
        groups.append(ScopeGroup(resource, RESOURCE_LABELS.get(resource, resource), scopes))
    return groups


def scope_summary(scopes) -> str:
    """`["orders:read", "products:read", "products:write"]` -> "Pedidos (leitura); Produtos (…)"."""
    chosen = set(scopes or ())
    if chosen >= set(ALL_SCOPES):
        return "Todas as permissões"
    parts = []
    for group in scope_groups():
        actions = [label for scope, label in group.scopes if scope in chosen]
        if actions:
            parts.append(f"{group.label} ({', '.join(actions)})")
    return "; ".join(parts) or "Nenhuma"
