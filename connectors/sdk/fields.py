"""JSON Schema building blocks for connector inputs, outputs and auth fields.

Small helpers so every schema in every connector says the same thing the same way: money and
quantities are decimal strings ("19.90"), never floats; ids from an ERP are strings (they pass
2^31 and some ERPs send them as strings anyway); dates are ISO 8601.
"""
from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
DRAFT = "https://json-schema.org/draft/2020-12/schema"
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


def _with(schema: Schema, title: str | None, description: str | None, **extra) -> Schema:
    if title:
        schema["title"] = title
    if description:
        schema["description"] = description
    schema.update({k: v for k, v in extra.items() if v is not None})
    return schema


def text(title: str | None = None, description: str | None = None, *, min_length: int | None = None,
         max_length: int | None = None, pattern: str | None = None, enum: list | None = None,
         default: str | None = None, fmt: str | None = None) -> Schema:
    return _with({"type": "string"}, title, description, minLength=min_length,
                 maxLength=max_length, pattern=pattern, enum=enum, default=default, format=fmt)


def integer(title: str | None = None, description: str | None = None, *,
            minimum: int | None = None, maximum: int | None = None,
            default: int | None = None) -> Schema:
    return _with({"type": "integer"}, title, description, minimum=minimum, maximum=maximum,
                 default=default)


def boolean(title: str | None = None, description: str | None = None, *,
            default: bool | None = None) -> Schema:
    return _with({"type": "boolean"}, title, description, default=default)


def decimal(title: str | None = None, description: str | None = None, *,
            accept_numbers: bool = False) -> Schema:
    """An exact decimal as a string ("19.90"). Inputs may also accept JSON numbers, which the
    connector turns into Decimal through their text, never through float arithmetic."""
    schema: Schema = {"type": ["string", "number"] if accept_numbers else "string",
                      "pattern": DECIMAL_PATTERN}
    return _with(schema, title, description)


def erp_id(title: str | None = None, description: str | None = None) -> Schema:
    return text(title, description, min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_.\-]+$")


def timestamp(title: str | None = None, description: str | None = None) -> Schema:
    return text(title, description, fmt="date-time")


def day(title: str | None = None, description: str | None = None) -> Schema:
    return text(title, description, fmt="date")


def nullable(schema: Schema) -> Schema:
    types = schema.get("type")
    types = list(types) if isinstance(types, list) else [types]
    return {**schema, "type": [*types, "null"]}


def array(items: Schema, title: str | None = None, description: str | None = None, *,
          min_items: int | None = None, max_items: int | None = None) -> Schema:
    return _with({"type": "array", "items": items}, title, description, minItems=min_items,
                 maxItems=max_items)


def obj(properties: dict[str, Schema], required: tuple[str, ...] | list[str] = (), *,
        title: str | None = None, description: str | None = None,
        additional: bool = False) -> Schema:
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(required), "additionalProperties": additional}
    return _with(schema, title, description)


def document(properties: dict[str, Schema], required: tuple[str, ...] | list[str] = (), *,
             title: str | None = None, description: str | None = None,
             secret: tuple[str, ...] = ()) -> Schema:
    """A top-level schema: an object with `$schema`, and (for auth) the list of secret fields,
    in the redash style: `"secret": ["client_secret", ...]` — masked on read, kept when the mask
    comes back (see credentials.py)."""
    schema = {"$schema": DRAFT, **obj(properties, required, title=title, description=description)}
    if secret:
        schema["secret"] = list(secret)
    return schema
