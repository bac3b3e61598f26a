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


def scope_summary(scopes) -> list[str]:
    """Scopes as short lines by access kind: ["Leitura: Pedidos, Produtos", "Escrita: Produtos"]."""
    chosen = set(scopes or ())
    if chosen >= set(ALL_SCOPES):
        return ["Todas as permissões"]
    lines = []
    for action, heading in (("read", "Leitura"), ("write", "Escrita")):
        possible = [g for g in scope_groups() if f"{g.resource}:{action}" in dict(g.scopes)]
        granted = [g.label for g in possible if f"{g.resource}:{action}" in chosen]
        if granted:
            names = "todos os recursos" if len(granted) == len(possible) else ", ".join(granted)
            lines.append(f"{heading}: {names}")
    return lines or ["Nenhuma"]
