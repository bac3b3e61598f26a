"""Our Schema.dump plans marshmallow's per-field work once; its output must be marshmallow's."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest
from marshmallow import Schema as MarshmallowSchema
from marshmallow import fields, post_dump

from markethub.platform.api.fields import Inline, Money
from markethub.platform.api.schema import Schema


def marshmallow_dump(schema, obj, many=None):
    return MarshmallowSchema.dump(schema, obj, many=many)


class Size(Schema):
    width = Money(allow_none=True)
    height = Money(allow_none=True)


class Line(Schema):
    sku = fields.String()
    quantity = fields.Integer()


class Everything(Schema):
    id = fields.String()
    object = fields.Constant("thing")
    title = fields.String(attribute="name")
    price = Money()
    renamed = fields.String(data_key="displayName")
    defaulted = fields.String(dump_default="fallback")
    computed_default = fields.Integer(dump_default=lambda: 7)
    when = fields.AwareDateTime()
    tags = fields.Dict()
    lines = fields.List(fields.Nested(Line))
    size = Inline(Size, allow_none=True)
    label = fields.Method("_label")
    secret = fields.String(load_only=True)

    def _label(self, obj):
        return f"{obj.name}!" if hasattr(obj, "name") else None


FULL = dict(id="x1", name="Caneca", price=Decimal("9.5"), renamed="R", defaulted="given",
            computed_default=3, when=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
            tags={"a": "b"},
            lines=[{"sku": "A", "quantity": 2}, SimpleNamespace(sku="B", quantity=1)],
            width=Decimal("10"), height=None, secret="never shown")


@pytest.mark.parametrize("obj", [
    SimpleNamespace(**FULL),
    FULL,  # a mapping
    SimpleNamespace(id="x2"),  # missing attributes: defaults or left out
    {"id": "x3", "name": None, "price": None, "when": None, "tags": None, "lines": []},
], ids=["object", "mapping", "sparse object", "nulls"])
def test_dump_equals_marshmallow(obj):
    schema = Everything()

    assert schema.dump(obj) == marshmallow_dump(schema, obj)


def test_many_and_nested_many_equal_marshmallow():
    objects = [SimpleNamespace(**FULL), SimpleNamespace(id="x2")]

    assert Everything(many=True).dump(objects) == marshmallow_dump(Everything(many=True), objects)
    assert Everything().dump(objects, many=True) == marshmallow_dump(Everything(), objects, True)


def test_only_and_exclude_are_honoured():
    obj = SimpleNamespace(**FULL)

    assert Everything(only=("id", "price")).dump(obj) == {"id": "x1", "price": "9.50"}
    assert "title" not in Everything(exclude=("title",)).dump(obj)


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def _shout(self, data, **kwargs):
        return {**data, "name": data["name"].upper()}


class Dotted(Schema):
    city = fields.String(attribute="address.city")


def test_hooks_and_dotted_attributes_take_marshmallows_path():
    assert Hooked().dump({"name": "ana"}) == {"name": "ANA"}
    assert Dotted().dump({"address": {"city": "Recife"}}) == {"city": "Recife"}
    assert Dotted()._plan() is None and Hooked()._plan() is None
