from flask import current_app
from flask.views import MethodView

from ...auth.principal import authenticate
from ...errors import ValidationError
from ...models import Integration, IntegrationPush, SyncRun
from ...services import integration_runs as runs_service
from ...services import integrations as service
from ..access import requires
from ..blueprint import Blueprint
from ..common import list_schema, paginate
from ..idempotency import idempotent
from . import examples
from .schemas import (IntegrationListArgs, IntegrationSchema, LogListArgs, OAuthStartResultSchema,
                      OAuthStartSchema, PushRequestSchema, PushSchema, SyncRunSchema,
                      TestCredentialsSchema, TestResultSchema)

blp = Blueprint("integrations", __name__, url_prefix="/v1/integrations",
                description="Native ERP connections (Bling, Omie, Tiny): credentials sealed and "
                            "masked, syncs with a per-run log, pushes to the ERP.")


def _settings():
    return current_app.config["MH_SETTINGS"]


def _shown(integration) -> dict:
    return service.represent(_settings(), integration)


@blp.route("")
class Integrations(MethodView):
    @requires("integrations:read")
    @blp.arguments(IntegrationListArgs, location="query")
    @blp.response(200, list_schema(IntegrationSchema), example=examples.page(examples.INTEGRATION))
    def get(self, args):
        """List integrations, newest first"""
        statement = service.list_statement(authenticate())
        if "provider" in args:
            statement = statement.where(Integration.provider == args["provider"])
        page = paginate(statement, Integration.id, args)
        page["data"] = [_shown(integration) for integration in page["data"]]
        return page

    @requires("integrations:write")
    @idempotent
    @blp.arguments(IntegrationSchema, example=examples.INTEGRATION_CREATE)
    @blp.response(201, IntegrationSchema, example=examples.INTEGRATION)
    def post(self, data):
        """Connect an ERP

        Credentials are checked against the connector's auth schema (422 with the field names;
        never echoing a secret), stored encrypted, and tested with the ERP: the answer's
        `status` is `connected`, or `error` with the ERP's reason. Bling (OAuth 2.0) starts
        `disconnected`: continue with POST /v1/integrations/{id}/oauth/start. Emits
        `integration.connected` or `integration.error`.
        """
        return _shown(service.create_integration(authenticate(), _settings(), data))


@blp.route("/<integration_id>")
class IntegrationById(MethodView):
    @requires("integrations:read")
    @blp.response(200, IntegrationSchema, example=examples.INTEGRATION)
    def get(self, integration_id):
        """Get an integration (secrets masked)"""
        return _shown(service.get_integration(authenticate(), integration_id))

    @requires("integrations:write")
    @blp.arguments(IntegrationSchema(partial=True), example=examples.INTEGRATION_UPDATE)
    @blp.response(200, IntegrationSchema, example=examples.INTEGRATION)
    def put(self, data, integration_id):
        """Change an integration

        Fields left out keep their values; a secret sent back as `--------` keeps the stored
        one. New credentials are tested again.
        """
        return _shown(service.update_integration(authenticate(), _settings(), integration_id,
                                                 data))

    @requires("integrations:write")
    @blp.response(204)
    def delete(self, integration_id):
        """Disconnect and delete an integration

        Emits `integration.disconnected`; its credentials are erased, pending pushes
        cancelled; its sync runs stay readable.
        """
        service.delete_integration(authenticate(), integration_id)


@blp.route("/<integration_id>/test")
class IntegrationTest(MethodView):
    @requires("integrations:write")
    @blp.arguments(TestCredentialsSchema, required=False, example=examples.TEST)
    @blp.response(200, TestResultSchema, example=examples.TEST_RESULT)
    def post(self, data, integration_id):
        """Test the credentials

        Tells refused credentials (`erp_auth_failed`: the integration goes to `error`, with
        `integration.error`) from an ERP that cannot be reached (`erp_unreachable`,
        `retryable: true`). With `credentials`, tries those without saving them.
        """
        result = service.test_integration(authenticate(), _settings(), integration_id,
                                          (data or {}).get("credentials"))
        return {"ok": result.ok, "status": result.status, "label": result.label,
                "error": result.error}


@blp.route("/<integration_id>/sync")
class IntegrationSync(MethodView):
    @requires("integrations:write")
    @idempotent
    @blp.response(202, SyncRunSchema, example=examples.SYNC_QUEUED)
    def post(self, integration_id):
        """Sync now

        Queues a sync run and returns it (poll GET /v1/integrations/runs/{run_id}). If one is
        already queued or running, that one is returned: an integration never syncs twice at
        once. 409 `integration_not_connected` when it is not connected.
        """
        return runs_service.request_sync(authenticate(), _settings(), integration_id)


@blp.route("/<integration_id>/runs")
class IntegrationRuns(MethodView):
    @requires("integrations:read")
    @blp.arguments(LogListArgs, location="query")
    @blp.response(200, list_schema(SyncRunSchema), example=examples.page(examples.SYNC_RUN))
    def get(self, args, integration_id):
        """List an integration's sync runs, newest first"""
        statement = runs_service.runs_statement(authenticate(), integration_id)
        return paginate(statement, SyncRun.id, args)


@blp.route("/runs/<run_id>")
class SyncRunById(MethodView):
    @requires("integrations:read")
    @blp.response(200, SyncRunSchema, example=examples.SYNC_RUN)
    def get(self, run_id):
        """Get a sync run: counts, item errors with the ERP's message, duration, requests"""
        return runs_service.get_run(authenticate(), run_id)


@blp.route("/<integration_id>/pushes")
class IntegrationPushes(MethodView):
    @requires("integrations:read")
    @blp.arguments(LogListArgs, location="query")
    @blp.response(200, list_schema(PushSchema), example=examples.page(examples.PUSH))
    def get(self, args, integration_id):
        """List what was sent to the ERP (reactions and requests), newest first"""
        statement = runs_service.pushes_statement(authenticate(), integration_id)
        return paginate(statement, IntegrationPush.id, args)

    @requires("integrations:write")
    @idempotent
    @blp.arguments(PushRequestSchema, example=examples.PUSH_CREATE)
    @blp.response(202, PushSchema, example=examples.PUSH_QUEUED)
    def post(self, data, integration_id):
        """Send a record to the ERP

        `update_stock` (with `product_id`), `create_order` or `create_invoice` (with
        `order_id`; Omie answers the invoice number and access key). Our ids are mapped to the
        ERP's; the push records the ERP's answer (poll the list).
        """
        field = "product_id" if data["action"] == "update_stock" else "order_id"
        if field not in data:
            raise ValidationError(f"{data['action']} needs {field}.",
                                  fields={field: ["Required for this action."]})
        return runs_service.request_push(authenticate(), _settings(), integration_id,
                                         data["action"], data[field])


@blp.route("/<integration_id>/oauth/start")
class IntegrationOAuthStart(MethodView):
    @requires("integrations:write")
    @blp.arguments(OAuthStartSchema, required=False, example=examples.OAUTH_START)
    @blp.response(200, OAuthStartResultSchema, example=examples.OAUTH_STARTED)
    def post(self, data, integration_id):
        """Start the ERP's authorization (Bling, OAuth 2.0)

        Returns the ERP's authorization page for the seller's browser. The ERP sends it back to
        /integrations/oauth/callback, which connects the integration (single-use state,
        valid 10 minutes) and redirects to `return_to`.
        """
        url = runs_service.start_authorization(authenticate(), _settings(), integration_id,
                                               (data or {}).get("return_to"))
        return {"authorize_url": url}
