"""Every connector and sandbox, by key: the platform's one way in (no if/else over ERPs).

    from markethub.connectors import registry
    registry.get("bling")            -> Connector (manifest: auth, actions, triggers, syncs)
    registry.all_connectors()        -> [Connector, ...] sorted by key
    registry.sandbox("bling")        -> module with create_app(...) and serve(host, port)

Modules are imported on first use, so reading the registry never imports Flask.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from .sdk.errors import UnknownOperationError
from .sdk.spec import Connector

CONNECTORS = {"bling": "markethub.connectors.bling", "omie": "markethub.connectors.omie",
              "tiny": "markethub.connectors.tiny"}


def keys() -> list[str]:
    return sorted(CONNECTORS)


def get(key: str) -> Connector:
    if key not in CONNECTORS:
        raise UnknownOperationError(f"No connector '{key}' (known: {', '.join(keys())}).")
    return import_module(CONNECTORS[key]).CONNECTOR


def all_connectors() -> list[Connector]:
    return [get(key) for key in keys()]


def sandbox(key: str) -> ModuleType:
    """The ERP's local simulator package (server side: imports Flask)."""
    if key not in CONNECTORS:
        raise UnknownOperationError(f"No sandbox '{key}' (known: {', '.join(keys())}).")
    return import_module(CONNECTORS[key] + ".sandbox")
