from marshmallow import ValidationError, fields, validate

from ..schema import Schema

from ...events.catalogue import pattern_error
from ..fields import Text
from ..webhooks.schemas import WebhookListArgs


def _known_type(value: str) -> None:
    problem = pattern_error(value)
    if problem:
        raise ValidationError(problem)


class EventSchema(Schema):
    """The webhook payload, as stored: pushing and pulling give the same document."""

    id = fields.String(metadata={"example": "evt_01jb0j3m8v2k6c9x5t7r4n2q8w",
                                 "description": "Also the `webhook-id` of its deliveries."})
    event = fields.String(metadata={"example": "order.created"})
    timestamp = fields.String(metadata={"example": "2026-11-29T12:00:00.120000+00:00",
                                        "description": "When it happened (ISO 8601, UTC)."})
    tenant_id = fields.String(metadata={"example": "ten_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    data = fields.Dict(metadata={"description": "The resource as the API returns it; see "
                                                "GET /v1/events/types for each schema."})


class EventListArgs(WebhookListArgs):
    type = Text(max_length=60, validate=_known_type, metadata={
        "description": "An event type or `<group>.*`.", "example": "order.*"})
    since = fields.AwareDateTime(metadata={"description": "Events at or after this instant."})
    until = fields.AwareDateTime(metadata={"description": "Events before this instant."})


class EventTypeSchema(Schema):
    type = fields.String(attribute="name", metadata={"example": "product.stock_low"})
    group = fields.String(metadata={"example": "product"})
    description = fields.String(attribute="fires_when", metadata={
        "description": "When it fires."})
    schema = fields.Dict(metadata={"description": "JSON Schema (2020-12) of `data`."})
    example = fields.Dict(metadata={"description": "An example `data`."})


class EventTypeListArgs(Schema):
    group = fields.String(validate=validate.OneOf(
        ["product", "order", "customer", "inventory", "integration"]))
