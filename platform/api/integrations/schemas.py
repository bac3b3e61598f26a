from marshmallow import fields, validate

from ..schema import Schema

from ...models.integration import (INTEGRATION_STATUSES, PROVIDERS, PUSH_STATUSES, RUN_STATUSES,
                                   RUN_TRIGGERS, SYNC_MODES)
from ..common import CURSOR_SHAPE
from ..fields import Text

PUSH_ACTIONS = ("update_stock", "create_order", "create_invoice")


class ErpErrorSchema(Schema):
    code = fields.String(metadata={"example": "erp_auth_failed"})
    message = fields.String(metadata={"example": "Omie refused the app key/secret: ..."})
    erp_message = fields.String(metadata={
        "description": "What the ERP said, in its own words.",
        "example": "A chave de acesso não é válida."})
    erp_code = fields.Raw(metadata={"example": "SOAP-ENV:Client-101"})
    status = fields.Integer(metadata={"description": "The ERP's HTTP status."})
    retryable = fields.Boolean(metadata={"description": "Trying later may work (the ERP was "
                                                        "unreachable or busy)."})
    retry_after = fields.Float()


class ReactionsSchema(Schema):
    push_stock = fields.Boolean(metadata={
        "description": "When stock changes here, set it in the ERP."})
    create_orders = fields.Boolean(metadata={
        "description": "When an order is created here, create it in the ERP (Bling)."})


class IntegrationSchema(Schema):
    id = fields.String(dump_only=True, metadata={"example": "int_01jnq3v8w2k6c9x5t7r4n2q8we"})
    object = fields.Constant("integration", dump_only=True)
    provider = fields.String(required=True, validate=validate.OneOf(PROVIDERS), metadata={
        "description": "The connector: a key from GET /v1/catalogue."})
    name = Text(min_length=1, max_length=120, metadata={
        "example": "Omie da loja", "description": "Default: the ERP's name."})
    status = fields.String(dump_only=True, metadata={"enum": list(INTEGRATION_STATUSES)})
    error = fields.Nested(ErpErrorSchema, dump_only=True, allow_none=True, metadata={
        "description": "Why the integration is in `error`."})
    account_label = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "The ERP account's name, as the ERP gives it."})
    auth_kind = fields.String(dump_only=True, metadata={
        "enum": ["oauth2", "app_keys", "token"],
        "description": "oauth2: connect with POST /v1/integrations/{id}/oauth/start."})
    credentials = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "Fields of the connector's auth schema (GET /v1/catalogue). Secret "
                       "fields read as `--------`; sending that mask back keeps the secret."})
    sync_mode = fields.String(validate=validate.OneOf(SYNC_MODES), metadata={
        "description": "automatic: every `sync_interval_minutes`; manual: only when asked."})
    sync_interval_minutes = fields.Integer(validate=validate.Range(5, 1440))
    reactions = fields.Nested(ReactionsSchema)
    config = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "The connector's options a seller may set (see `config_schema` in the "
                       "catalogue; the ERP's address and the platform's limits are not)."})
    last_sync_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    next_sync_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    connected_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class IntegrationListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = Text(max_length=64, validate=validate.Regexp(CURSOR_SHAPE))
    provider = fields.String(validate=validate.OneOf(PROVIDERS))


class LogListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = Text(max_length=64, validate=validate.Regexp(CURSOR_SHAPE))


class TestCredentialsSchema(Schema):
    credentials = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "Optional: try these (over the stored ones) without saving them."})


class TestResultSchema(Schema):
    object = fields.Constant("integration_test")
    ok = fields.Boolean(metadata={"description": "The ERP accepted the credentials."})
    status = fields.String(metadata={"enum": list(INTEGRATION_STATUSES),
                                     "description": "The integration's status afterwards."})
    label = fields.String(allow_none=True, metadata={"description": "The ERP account's name."})
    error = fields.Nested(ErpErrorSchema, allow_none=True)


class CountsSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.Integer()


class ItemErrorSchema(Schema):
    entity = fields.String(metadata={"example": "order"})
    external_id = fields.String(allow_none=True, metadata={"description": "The ERP's id."})
    code = fields.String(metadata={"example": "erp_rejected"})
    message = fields.String()
    erp_message = fields.String(metadata={"description": "The ERP's own words."})
    fields_ = fields.Dict(data_key="fields", attribute="fields")


class SyncRunSchema(Schema):
    id = fields.String(metadata={"example": "run_01jnq4a0b2k6c9x5t7r4n2q8wf"})
    object = fields.Constant("sync_run")
    integration_id = fields.String()
    trigger = fields.String(metadata={"enum": list(RUN_TRIGGERS)})
    status = fields.String(metadata={
        "enum": list(RUN_STATUSES),
        "description": "partial: finished, some items refused (see `errors`); failed: stopped "
                       "(see `error`), the next run resumes after the last stored page."})
    counts = fields.Dict(keys=fields.String(), values=fields.Nested(CountsSchema), metadata={
        "description": "Per entity (product, inventory, order, customer)."})
    errors = fields.List(fields.Nested(ItemErrorSchema), metadata={
        "description": "Items refused, with the ERP's message (the first 500)."})
    error_count = fields.Integer()
    error = fields.Nested(ErpErrorSchema, allow_none=True)
    requests = fields.Integer(metadata={"description": "Requests made to the ERP."})
    created_at = fields.AwareDateTime()
    started_at = fields.AwareDateTime(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)
    duration_seconds = fields.Float(allow_none=True)


class PushRequestSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(PUSH_ACTIONS))
    product_id = Text(min_length=1, max_length=40, metadata={"description": "update_stock."})
    order_id = Text(min_length=1, max_length=40, metadata={
        "description": "create_order, create_invoice."})


class PushSchema(Schema):
    id = fields.String(metadata={"example": "psh_01jnq4a0b2k6c9x5t7r4n2q8wg"})
    object = fields.Constant("integration_push")
    integration_id = fields.String()
    action = fields.String(metadata={"enum": list(PUSH_ACTIONS)})
    resource = fields.String(metadata={"enum": ["product", "order"]})
    local_id = fields.String(metadata={"description": "Our product or order id."})
    source_event_id = fields.String(allow_none=True, metadata={
        "description": "The event that triggered this automatic reaction."})
    status = fields.String(metadata={"enum": list(PUSH_STATUSES)})
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    external_id = fields.String(allow_none=True, metadata={
        "description": "What the ERP made: its order id, the invoice's access key…"})
    result = fields.Dict(allow_none=True, metadata={"description": "The action's output."})
    error = fields.Nested(ErpErrorSchema, allow_none=True)
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)


class OAuthStartSchema(Schema):
    return_to = Text(max_length=2000, metadata={
        "description": "A path on this site to come back to (default /hub/integrations)."})


class OAuthStartResultSchema(Schema):
    object = fields.Constant("oauth_authorization")
    authorize_url = fields.String(metadata={"description": "Send the seller's browser here."})
