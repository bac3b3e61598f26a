"""Every connector runs the SDK's standard contract suite; the registry and the catalogue
cover all of them; connector code stays a plain library (no Flask/SQLAlchemy/RQ/Redis)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from markethub.connectors import bling, catalogue, omie, registry, tiny
from markethub.connectors.sdk.errors import UnknownOperationError
from markethub.connectors.sdk.testing import ConnectorContract, _imports

CONNECTORS_ROOT = Path(registry.__file__).parent


class TestBlingContract(ConnectorContract):
    connector = bling.CONNECTOR
    credentials = {"client_id": "markethub", "client_secret": "not-a-real-secret"}


class TestOmieContract(ConnectorContract):
    connector = omie.CONNECTOR
    credentials = {"app_key": "1234567890123", "app_secret": "not-a-real-secret"}


class TestTinyContract(ConnectorContract):
    connector = tiny.CONNECTOR
    credentials = {"token": "not-a-real-token"}


def test_registry_lists_every_connector_with_the_seed_operations():
    operations = {c.key: sorted(op.key for op in (*c.actions, *c.syncs))
                  for c in registry.all_connectors()}
    assert operations == {
        "bling": ["create_order", "sync_orders", "sync_products", "update_stock"],
        "omie": ["create_invoice", "sync_orders", "sync_products", "update_stock"],
        "tiny": ["sync_orders", "sync_products", "update_stock"],
    }
    with pytest.raises(UnknownOperationError):
        registry.get("sap")
    with pytest.raises(UnknownOperationError, match="known: create_order"):
        registry.get("bling").action("delete_everything")


def test_catalogue_is_sorted_versioned_and_stable():
    document = catalogue.build()
    assert document["format_version"] == 1
    assert [c["key"] for c in document["connectors"]] == ["bling", "omie", "tiny"]
    for entry in document["connectors"]:
        for kind in ("actions", "triggers", "syncs"):
            keys = [op["key"] for op in entry[kind]]
            assert keys == sorted(keys) and all(k.startswith(entry["key"] + ".") for k in keys)
    omie_actions = {op["key"]: op for op in document["connectors"][1]["actions"]}
    assert omie_actions["omie.create_invoice"]["sample"]["invoice"]["access_key"]
    assert catalogue.dumps(document) == catalogue.dumps(catalogue.build())
    assert document["digest"].startswith("sha256:")
    json.loads(catalogue.dumps(document))  # plain JSON, no Decimals or dataclasses inside


def test_connector_code_never_imports_servers_databases_or_queues():
    """AST check over the SDK, the registry, the catalogue and every connector client."""
    forbidden = ("flask", "werkzeug", "sqlalchemy", "rq", "redis", "markethub.platform",
                 "markethub.recipes", "markethub.connectors.sandbox_kit")
    checked = 0
    for path in CONNECTORS_ROOT.rglob("*.py"):
        relative = path.relative_to(CONNECTORS_ROOT).parts
        if "sandbox" in relative or relative[0] == "sandbox_kit":
            continue
        package = ".".join(["markethub.connectors", *relative[:-1]])
        for module in _imports(path, path.parent, package):
            assert not any(module == f or module.startswith(f + ".") for f in forbidden), \
                f"{path} imports {module}"
            assert ".sandbox" not in module, f"{path} imports a sandbox ({module})"
        checked += 1
    assert checked >= 25


def test_importing_every_connector_loads_no_server_or_database_library():
    """The same rule, proved at runtime in a fresh interpreter (a REPL's view)."""
    code = ("import sys; from markethub.connectors import registry, catalogue; "
            "registry.all_connectors(); catalogue.build(); "
            "bad = [m for m in ('flask', 'werkzeug', 'sqlalchemy', 'rq', 'redis') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
