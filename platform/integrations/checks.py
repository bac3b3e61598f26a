"""Checks on what a seller sends for an integration: credentials against the connector's auth
JSON Schema (a returned mask keeps the stored secret; OAuth token fields are the authorization's),
the connector options a seller may set, and reactions the ERP can do."""
from __future__ import annotations

from jsonschema import Draft202012Validator

from markethub.connectors.sdk import InvalidInputError
from markethub.connectors.sdk.credentials import MASK, merge
from markethub.connectors.sdk.session import validate

from ..errors import ValidationError
from ..settings import Settings
from . import connections

REACTIONS = {"push_stock": "update_stock", "create_orders": "create_order"}  # flag -> action


def _invalid(prefix: str, error: InvalidInputError) -> ValidationError:
    fields = {prefix if path == "_root" else f"{prefix}.{path}": messages
              for path, messages in error.fields.items()}
    return ValidationError(f"Invalid {prefix}: {', '.join(sorted(fields))}.", fields=fields)


def credentials(settings: Settings, provider: str, stored: dict, submitted: dict) -> dict:
    """The credentials to store: the submitted ones over the stored ones (a returned mask keeps
    the secret), checked against the connector's schema with the platform's defaults."""
    auth = connections.connector_for(provider).auth
    merged = merge(auth.schema, stored, submitted)
    if auth.oauth2 is not None:
        merged = _oauth_fields(auth.schema, stored, submitted, merged)
    try:
        validate(auth.schema, {**connections.platform_credentials(settings, provider), **merged},
                 "credentials", hide=auth.secret_fields)
    except InvalidInputError as error:
        raise _invalid("credentials", error) from None
    return merged


def _oauth_fields(schema: dict, stored: dict, submitted: dict, merged: dict) -> dict:
    """Token fields are the authorization's, not the seller's; a new app drops the tokens."""
    managed = set(schema["properties"]) - set(schema.get("required", ()))
    refused = {f"credentials.{name}": ["Filled in by the OAuth authorization."]
               for name, value in submitted.items()
               if name in managed and value not in (MASK, stored.get(name))}
    if refused:
        raise ValidationError("Token fields cannot be set.", code="oauth_managed_field",
                              fields=refused)
    app_changed = any(merged.get(name) != stored.get(name) for name in schema.get("required", ()))
    if app_changed:
        return {name: value for name, value in merged.items() if name not in managed}
    return merged


def config(provider: str, values: dict) -> dict:
    schema = connections.seller_config_schema(provider)
    problems = {}
    for error in Draft202012Validator(schema).iter_errors(values):
        path = ".".join(str(part) for part in error.absolute_path)
        problems.setdefault(f"config.{path}" if path else "config", []).append(error.message)
    if problems:
        raise ValidationError("Invalid connector configuration.", fields=problems)
    return values


def reactions(provider: str, data: dict) -> None:
    actions = {action.key for action in connections.connector_for(provider).actions}
    refused = {f"reactions.{flag}": [f"{provider} has no '{action}' action."]
               for flag, action in REACTIONS.items() if data.get(flag) and action not in actions}
    if refused:
        raise ValidationError("This ERP cannot do that reaction.", code="unsupported_reaction",
                              fields=refused)
