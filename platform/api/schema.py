"""`Schema`: marshmallow's, with `dump` doing its per-field bookkeeping once per schema.

marshmallow resolves, for every field of every object it dumps, the accessor, the attribute
name, the default and the output key. On a page of 50 products that bookkeeping was a third of
the request (bench/api_bench.py). Here it is resolved once into a plan of steps; each field still
formats its value with its own `_serialize`, so the output is marshmallow's, byte for byte
(tests/unit/test_schema_dump.py compares the two on every API schema). Schemas with dump hooks,
a custom `get_attribute`, dotted attributes, or objects that are neither mappings nor plain
objects take marshmallow's own path.
"""
from __future__ import annotations

import operator
from collections.abc import Mapping

from marshmallow import Schema as MarshmallowSchema
from marshmallow import fields, missing


def _from_mapping(obj, key):
    try:
        return obj[key]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(obj, key, missing)


def _from_attribute(obj, key):
    return getattr(obj, key, missing)


def _plain(field: fields.Field) -> bool:
    """A field whose serialize() is marshmallow's: read the value, default it, format it."""
    return (type(field).serialize is fields.Field.serialize
            and type(field).get_value is fields.Field.get_value)


class _Plan:
    """A schema's dump fields, sorted once by how their value is read."""

    def __init__(self, schema: MarshmallowSchema):
        self.steps = []  # (key, name, attribute, field, plain): the general way, any object
        self.read = []  # (key, name, field._serialize) of fields that read their attribute
        self.fixed = []  # (key, name, field._serialize) of fields that read none (Method, …)
        for name, field in schema.dump_fields.items():
            attribute = field.attribute or name
            key = name if field.data_key is None else field.data_key
            plain = _plain(field)
            self.steps.append((key, name, attribute, field, plain))
            if not plain:
                self.read = self.fixed = None
            elif self.read is not None:
                if field._CHECK_ATTRIBUTE:
                    self.read.append((key, name, field._serialize, attribute))
                else:
                    self.fixed.append((key, name, field._serialize))
        attributes = [attribute for *_, attribute in self.read or ()]
        # One C call reads every attribute; a missing one sends the object the general way.
        self.attributes = operator.attrgetter(*attributes) if attributes else None
        self.single = len(attributes) == 1


class Schema(MarshmallowSchema):
    def dump(self, obj, *, many: bool | None = None):
        plan = self.__dict__.get("_dump_plan", ())
        if plan == ():
            plan = self._dump_plan = self._plan()
        if plan is None:
            return super().dump(obj, many=many)
        if self.many if many is None else many:
            return [self._dump_one(item, plan) for item in obj]
        return self._dump_one(obj, plan)

    def _plan(self) -> _Plan | None:
        if (self._hooks["pre_dump"] or self._hooks["post_dump"]
                or type(self).get_attribute is not MarshmallowSchema.get_attribute
                or any("." in (field.attribute or "") for field in self.dump_fields.values())):
            return None
        return _Plan(self)

    def _dump_one(self, obj, plan: _Plan) -> dict:
        if plan.attributes is None or hasattr(obj, "__getitem__"):
            return self._dump_one_field_by_field(obj, plan)
        try:
            values = plan.attributes(obj)
        except AttributeError:  # marshmallow leaves the field out or uses its default
            return self._dump_one_field_by_field(obj, plan)
        if plan.single:
            values = (values,)
        result = {}
        for (key, name, serialize, _), value in zip(plan.read, values, strict=True):
            value = serialize(value, name, obj)
            if value is not missing:
                result[key] = value
        for key, name, serialize in plan.fixed:
            value = serialize(None, name, obj)
            if value is not missing:
                result[key] = value
        return result

    def _dump_one_field_by_field(self, obj, plan: _Plan) -> dict:
        if isinstance(obj, Mapping):
            read = _from_mapping
        elif hasattr(obj, "__getitem__"):  # a sequence-like object: marshmallow's own rules
            return super().dump(obj, many=False)
        else:
            read = _from_attribute
        result = {}
        for key, name, attribute, field, plain in plan.steps:
            if not plain:
                value = field.serialize(name, obj, accessor=self.get_attribute)
            else:
                if field._CHECK_ATTRIBUTE:
                    value = read(obj, attribute)
                    if value is missing:
                        default = field.dump_default
                        value = default() if callable(default) else default
                        if value is missing:
                            continue
                else:
                    value = None
                value = field._serialize(value, name, obj)
            if value is not missing:
                result[key] = value
        return result
