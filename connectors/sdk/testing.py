"""The standard contract suite every connector runs (Singer SDK `get_tap_test_class` style).

    from markethub.connectors.sdk.testing import ConnectorContract

    class TestBlingContract(ConnectorContract):
        connector = bling.CONNECTOR
        credentials = {"client_id": "x", "client_secret": "y"}   # shape-valid, never used

Plain asserts, no pytest import: any test runner collects the `test_*` methods.
"""
from __future__ import annotations

import ast
import json
import re
from importlib import import_module
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from . import credentials as creds
from .errors import InvalidInputError
from .session import Session
from .spec import Connector

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
NAMING = {"action": re.compile(r"^[a-z]+_[a-z_]+$"),
          "trigger": re.compile(r"^(new|updated)_[a-z_]+$"),
          "sync": re.compile(r"^sync_[a-z_]+$")}
SECRET_NAMES = re.compile(r"secret|token|password|senha", re.IGNORECASE)
FORBIDDEN_IMPORTS = ("flask", "werkzeug", "sqlalchemy", "rq", "redis", "markethub.platform",
                     "markethub.recipes", "markethub.connectors.sandbox_kit")
CLOSED_PORT_URL = "http://127.0.0.1:9"  # discard port: nothing listens, nothing may be sent


class ConnectorContract:
    connector: Connector
    credentials: dict = {}

    # -- helpers -------------------------------------------------------------------------------
    def operations(self):
        c = self.connector
        return ([("action", a) for a in c.actions] + [("trigger", t) for t in c.triggers]
                + [("sync", s) for s in c.syncs])

    def schemas(self):
        c = self.connector
        yield "auth", c.auth.schema
        yield "config", c.config_schema
        for kind, op in self.operations():
            if kind == "sync":
                yield f"{op.key}.record", op.record_schema
            else:
                yield f"{op.key}.input", op.input_schema
                yield f"{op.key}.output", op.output_schema

    # -- the contract ----------------------------------------------------------------------------
    def test_keys_are_well_formed_and_unique(self):
        assert KEY.match(self.connector.key), self.connector.key
        keys = [op.key for _, op in self.operations()]
        assert len(keys) == len(set(keys)), f"duplicate operation keys: {keys}"
        for kind, op in self.operations():
            assert NAMING[kind].match(op.key), f"{kind} key {op.key!r} breaks the naming rule"

    def test_labels_and_descriptions_are_written(self):
        for _, op in [("connector", self.connector), *self.operations()]:
            assert op.label.strip(), op
            assert op.description.strip().endswith("."), f"{op.key}: end the description with ."

    def test_schemas_are_valid_json_schema_2020_12(self):
        for name, schema in self.schemas():
            Draft202012Validator.check_schema(schema)
            assert schema.get("type") == "object", f"{name} must describe an object"

    def test_samples_validate_against_output_schemas(self):
        for kind, op in self.operations():
            schema = op.record_schema if kind == "sync" else op.output_schema
            assert op.sample, f"{op.key} has no sample"
            errors = list(Draft202012Validator(schema, format_checker=FormatChecker())
                          .iter_errors(op.sample))
            assert not errors, f"{op.key} sample: {[e.message for e in errors]}"

    def test_secret_fields_are_declared_and_masked(self):
        schema = self.connector.auth.schema
        secrets = set(creds.secret_fields(schema))
        assert secrets <= set(schema["properties"]), "secret list names unknown fields"
        for name in schema["properties"]:
            if SECRET_NAMES.search(name):
                assert name in secrets, f"{name} looks secret but is not in the secret list"
        values = {name: f"value-of-{name}" for name in schema["properties"]}
        masked = creds.mask(schema, values)
        assert all(masked[name] == creds.MASK for name in secrets)
        assert not any(values[name] in json.dumps(masked) for name in secrets)
        assert creds.merge(schema, values, masked) == values, "a returned mask must keep secrets"

    def test_config_has_a_default_for_everything(self):
        properties = self.connector.config_schema["properties"]
        assert "base_url" in properties, "connectors take their base URL from configuration"
        for name, prop in properties.items():
            assert "default" in prop, f"config {name} has no default"
        errors = list(Draft202012Validator(self.connector.config_schema).iter_errors(
            self.connector.default_config()))
        assert not errors, [e.message for e in errors]

    def test_catalogue_entry_is_stable_json(self):
        from ..catalogue import build
        first, second = build([self.connector]), build([self.connector])
        assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)

    def test_bad_input_is_refused_before_any_request(self):
        session = Session(self.connector, self.credentials, config={"base_url": CLOSED_PORT_URL})
        for action in self.connector.actions:
            try:
                session.run(action.key, {"unexpected": True})
            except InvalidInputError as error:
                assert error.fields, action.key
            else:
                raise AssertionError(f"{action.key} accepted garbage input")
        assert session.requests == 0

    def test_client_imports_stay_plain(self):
        package = import_module(self.connector.client.__module__.rsplit(".", 1)[0])
        root = Path(package.__file__).parent
        for path in root.rglob("*.py"):
            if "sandbox" in path.relative_to(root).parts:
                continue
            for module in _imports(path, root, package.__name__):
                bad = [f for f in (*FORBIDDEN_IMPORTS, f"{package.__name__}.sandbox")
                       if module == f or module.startswith(f + ".")]
                assert not bad, f"{path} imports {module}"


def _imports(path: Path, root: Path, package: str) -> list[str]:
    """Absolute names of everything `path` imports (relative imports resolved)."""
    here = [*package.split("."), *path.parent.relative_to(root).parts]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append(module)
            found.extend(f"{module}.{alias.name}" for alias in node.names)
    return found
