from marshmallow import fields, validate

from ..schema import Schema

from ...events.catalogue import BY_NAME
from ...models.webhooks import DELIVERY_STATUSES
from ..common import CURSOR_SHAPE
from ..fields import Text


class HealthSchema(Schema):
    window_hours = fields.Integer(metadata={"example": 24})
    attempts = fields.Integer(metadata={"description": "Attempts in the window.",
                                        "example": 120})
    succeeded = fields.Integer(metadata={"example": 118})
    success_rate = fields.Float(allow_none=True, metadata={"example": 0.9833})
    last_attempt_at = fields.AwareDateTime(allow_none=True)


class WebhookEndpointSchema(Schema):
    id = fields.String(dump_only=True, metadata={"example": "wh_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    object = fields.Constant("webhook_endpoint", dump_only=True)
    url = Text(required=True, min_length=1, max_length=2048, metadata={
        "example": "https://erp.example.com.br/hooks/markethub",
        "description": "https in production; private, loopback and link-local addresses are "
                       "refused (when saved and again when sending); redirects are not followed."})
    description = Text(max_length=500, allow_none=True, metadata={"example": "Pedidos → ERP"})
    event_types = fields.List(Text(min_length=1, max_length=60), validate=validate.Length(1, 50),
                              metadata={"example": ["order.*", "product.stock_low"],
                                        "description": "Types from GET /v1/events/types, "
                                                       "`<group>.*`, or `*`. Default `[\"*\"]`."})
    enabled = fields.Boolean(metadata={"description": "Enabling clears `disabled_reason`."})
    disabled_reason = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "Why it is disabled: by the account, 410 Gone, or sustained failure."})
    disabled_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    failing_since = fields.AwareDateTime(dump_only=True, allow_none=True, metadata={
        "description": "First failed attempt since the last success (null when healthy)."})
    previous_secret_expires_at = fields.AwareDateTime(dump_only=True, allow_none=True, metadata={
        "description": "After a rotation, the old secret also signs until this instant."})
    health = fields.Nested(HealthSchema, dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class WebhookEndpointWithSecretSchema(WebhookEndpointSchema):
    secret = fields.String(dump_only=True, metadata={
        "example": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "description": "The signing secret (Standard Webhooks). Shown only now: store it."})


class AttemptSchema(Schema):
    id = fields.String(metadata={"example": "att_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    attempt_number = fields.Integer(metadata={"example": 1})
    started_at = fields.AwareDateTime()
    url = fields.String()
    request_headers = fields.Dict(keys=fields.String(), values=fields.String())
    request_body = fields.String()
    response_status = fields.Integer(allow_none=True, metadata={"example": 200})
    response_body = fields.String(allow_none=True, metadata={
        "description": "The first KB of the answer."})
    response_body_truncated = fields.Boolean()
    latency_ms = fields.Float(allow_none=True, metadata={"example": 84.2})
    succeeded = fields.Boolean()
    error = fields.String(allow_none=True, metadata={"example": "HTTP 503."})


class DeliverySchema(Schema):
    id = fields.String(metadata={"example": "dlv_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    object = fields.Constant("webhook_delivery")
    endpoint_id = fields.String()
    event_id = fields.String(metadata={"description": "Also the `webhook-id` header of every "
                                                      "attempt."})
    event_type = fields.String(metadata={"example": "order.created"})
    status = fields.String(metadata={"enum": list(DELIVERY_STATUSES),
                                     "description": "pending (waiting for an attempt), "
                                                    "succeeded, or failed (retry or replay it)."})
    attempt_count = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    completed_at = fields.AwareDateTime(allow_none=True)
    attempts = fields.List(fields.Nested(AttemptSchema))


class WebhookListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100),
                           metadata={"description": "Page size, 1 to 100."})
    cursor = Text(max_length=64, validate=validate.Regexp(
        CURSOR_SHAPE, error="Not a cursor: pass the `next_cursor` of the previous page."),
        metadata={"description": "The `next_cursor` of the previous page."})


class DeliveryListArgs(WebhookListArgs):
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))


class SendTestSchema(Schema):
    event_type = fields.String(validate=validate.OneOf(list(BY_NAME)), metadata={
        "description": "Which example to send; default: the first type the endpoint gets."})


class ReplaySchema(Schema):
    since = fields.AwareDateTime(required=True, metadata={"description": "Inclusive."})
    until = fields.AwareDateTime(metadata={"description": "Exclusive; default now."})
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Only count the events that would be sent."})


class ReplayResultSchema(Schema):
    object = fields.Constant("webhook_replay")
    endpoint_id = fields.String()
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()
    dry_run = fields.Boolean()
    count = fields.Integer(metadata={"description": "Events sent again (or that would be)."})
