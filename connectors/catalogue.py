"""One versioned JSON document describing every connector, action, trigger and sync — what the
recipe builder, `GET /v1/catalogue` and the Zapier/Make generators read. Sorted and stable:
the same connectors always give the same bytes (and the same digest)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from .sdk.spec import Action, Connector, Sync, Trigger

FORMAT_VERSION = 1


def _operation(connector: Connector, item: Action | Trigger | Sync, kind: str) -> dict:
    entry = {"key": connector.full_key(item.key), "kind": kind, "label": item.label,
             "description": item.description, "sample": item.sample}
    if isinstance(item, Sync):
        entry.update(entity=item.entity, output_schema=item.record_schema)
    else:
        entry.update(input_schema=item.input_schema, output_schema=item.output_schema)
    return entry


def _connector(connector: Connector) -> dict:
    return {
        "key": connector.key, "label": connector.label, "description": connector.description,
        "version": connector.version,
        "auth": {"kind": connector.auth.kind, "schema": connector.auth.schema},
        "config_schema": connector.config_schema,
        "actions": sorted((_operation(connector, a, "action") for a in connector.actions),
                          key=lambda e: e["key"]),
        "triggers": sorted((_operation(connector, t, "trigger") for t in connector.triggers),
                           key=lambda e: e["key"]),
        "syncs": sorted((_operation(connector, s, "sync") for s in connector.syncs),
                        key=lambda e: e["key"]),
    }


def build(connectors: Iterable[Connector] | None = None) -> dict:
    if connectors is None:
        from .registry import all_connectors
        connectors = all_connectors()
    entries = sorted((_connector(c) for c in connectors), key=lambda e: e["key"])
    body = json.dumps(entries, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return {"format_version": FORMAT_VERSION,
            "digest": "sha256:" + hashlib.sha256(body.encode()).hexdigest(),
            "connectors": entries}


def dumps(document: dict) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
