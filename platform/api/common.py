"""What every resource shares: list arguments, cursor pagination and the list envelope."""
from __future__ import annotations

from flask import current_app
from marshmallow import fields, validate
from sqlalchemy import select

from ..auth.principal import authenticate
from ..extensions import db
from .fields import Text
from .schema import Schema

CURSOR_SHAPE = r"^[a-z]{2,8}_[0-9a-hjkmnp-tv-z]{26}$"  # an id (see ids.py)


class ListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100),
                           metadata={"description": "Page size, 1 to 100."})
    cursor = Text(max_length=64, validate=validate.Regexp(
        CURSOR_SHAPE, error="Not a cursor: pass the `next_cursor` of the previous page."),
        metadata={"description": "The `next_cursor` of the previous page; omit for the first "
                                 "page."})
    updated_since = fields.AwareDateTime(metadata={
        "description": "Only items changed at or after this ISO 8601 instant."})


class ListEnvelope(Schema):
    object = fields.Constant("list")
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True)


def list_schema(item_schema: type[Schema]) -> type[Schema]:
    return type(f"{item_schema.__name__.removesuffix('Schema')}List", (ListEnvelope,),
                {"data": fields.List(fields.Nested(item_schema), required=True)})


def tenant_select(model):
    """The one scoping helper: every query of tenant-owned rows starts here."""
    return select(model).where(model.tenant_id == authenticate().tenant_id)


def get_owned(model, resource_id: str, resource_name: str, *extra_conditions):
    """The row with this id owned by the caller's tenant; another tenant's id is a 404."""
    from ..errors import NotFoundError

    row = db.session.execute(
        tenant_select(model).where(model.id == resource_id, *extra_conditions)
    ).unique().scalar_one_or_none()
    if row is None:
        raise NotFoundError(resource_name, resource_id)
    return row


def paginate(statement, id_column, args: dict, view=None) -> dict:
    """Newest first; `cursor` is the last id of the previous page (ids sort by creation).

    `statement` selects ORM entities, or plain rows that `view` turns into their representation.
    """
    limit = args["limit"]
    if args.get("cursor"):
        statement = statement.where(id_column < args["cursor"])
    result = db.session.execute(statement.order_by(id_column.desc()).limit(limit + 1))
    rows = result.all() if view else result.unique().scalars().all()
    page, has_more = rows[:limit], len(rows) > limit
    return {"data": [view(row) for row in page] if view else page, "has_more": has_more,
            "next_cursor": getattr(page[-1], id_column.key) if has_more and page else None}


def already_dumped(representation: dict):
    """An answer built without its response schema (see api/products/representation.py): sent as
    it is, where returning the dict would have the schema dump it again."""
    return current_app.json.response(representation)
