"""Secret credential fields: masked on read, kept when the mask comes back (redash
`ConfigurationContainer`). Which fields are secret is declared in the auth schema's `secret`
list, so the hub form, the API and the logs all agree."""
from __future__ import annotations

from collections.abc import Mapping

MASK = "--------"


def secret_fields(schema: Mapping) -> tuple[str, ...]:
    return tuple(schema.get("secret", ()))


def mask(schema: Mapping, values: Mapping) -> dict:
    """A copy safe to show or log: every secret that has a value reads as MASK."""
    secrets = set(secret_fields(schema))
    return {name: (MASK if name in secrets and value not in (None, "") else value)
            for name, value in values.items()}


def merge(schema: Mapping, stored: Mapping, submitted: Mapping) -> dict:
    """Submitted values over stored ones, except a secret submitted as MASK keeps its stored
    value (the form showed the mask; the seller did not change it)."""
    secrets = set(secret_fields(schema))
    merged = dict(stored)
    for name, value in submitted.items():
        if name in secrets and value == MASK:
            continue
        merged[name] = value
    return merged
