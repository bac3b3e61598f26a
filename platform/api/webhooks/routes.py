from flask import current_app
from flask.views import MethodView
from sqlalchemy.orm import selectinload

from ...auth.principal import authenticate
from ...db import utcnow
from ...errors import NotFoundError
from ...events import operations, subscriptions
from ...events.endpoint_health import health
from ...extensions import db
from ...models import WebhookDelivery, WebhookEndpoint
from ..access import requires
from ..blueprint import Blueprint
from ..common import get_owned, list_schema, paginate, tenant_select
from ..idempotency import idempotent
from . import examples
from .schemas import (DeliveryListArgs, DeliverySchema, ReplayResultSchema, ReplaySchema,
                      SendTestSchema, WebhookEndpointSchema, WebhookEndpointWithSecretSchema,
                      WebhookListArgs)

blp = Blueprint("webhooks", __name__, url_prefix="/v1/webhooks",
                description="Subscribe URLs to events: signed (Standard Webhooks), retried, "
                            "logged attempt by attempt, replayable.")
deliveries_blp = Blueprint("deliveries", __name__, url_prefix="/v1/deliveries",
                           description="One event sent to one webhook endpoint, with its "
                                       "attempts.")

LIVE = WebhookEndpoint.deleted_at.is_(None)


def _settings():
    return current_app.config["MH_SETTINGS"]


def _with_health(endpoints, secret: str | None = None):
    stats = health(db.session, [endpoint.id for endpoint in endpoints])
    for endpoint in endpoints:
        endpoint.health = stats[endpoint.id]  # transient, for the response only
        if secret:
            endpoint.secret = secret
    return endpoints


def _owned_endpoint(webhook_id: str) -> WebhookEndpoint:
    return get_owned(WebhookEndpoint, webhook_id, "webhook", LIVE)


def _delivery(delivery_id: str) -> WebhookDelivery:
    """The caller's delivery with its attempts (another tenant's id is a 404)."""
    delivery = db.session.execute(
        tenant_select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
        .options(selectinload(WebhookDelivery.attempts))).scalar_one_or_none()
    if delivery is None:
        raise NotFoundError("delivery", delivery_id)
    return delivery


@blp.route("")
class Webhooks(MethodView):
    @requires("webhooks:read")
    @blp.arguments(WebhookListArgs, location="query")
    @blp.response(200, list_schema(WebhookEndpointSchema), example=examples.page(examples.WEBHOOK))
    def get(self, args):
        """List webhook endpoints, newest first, with their health over 24 h"""
        page = paginate(tenant_select(WebhookEndpoint).where(LIVE), WebhookEndpoint.id, args)
        _with_health(page["data"])
        return page

    @requires("webhooks:write")
    @blp.arguments(WebhookEndpointSchema, example=examples.WEBHOOK_CREATE)
    @blp.response(201, WebhookEndpointWithSecretSchema, example=examples.WEBHOOK_WITH_SECRET)
    def post(self, data):
        """Create a webhook endpoint

        The response carries the signing `secret` (`whsec_…`): it is shown only this once.
        The URL is checked: https in production; private, loopback, link-local, CGNAT and
        metadata addresses are refused (422 `url_not_allowed`). Unknown event types are 422
        `unknown_event_type`. Not idempotent on purpose: a replayed response would have to keep
        the secret in the clear.
        """
        endpoint, secret = subscriptions.create_endpoint(authenticate(), _settings(), data)
        return _with_health([endpoint], secret)[0]


@blp.route("/<webhook_id>")
class WebhookById(MethodView):
    @requires("webhooks:read")
    @blp.response(200, WebhookEndpointSchema, example=examples.WEBHOOK)
    def get(self, webhook_id):
        """Get a webhook endpoint (never its secret)"""
        return _with_health([_owned_endpoint(webhook_id)])[0]

    @requires("webhooks:write")
    @blp.arguments(WebhookEndpointSchema(partial=True), example=examples.WEBHOOK_UPDATE)
    @blp.response(200, WebhookEndpointSchema, example=examples.WEBHOOK)
    def patch(self, data, webhook_id):
        """Change a webhook endpoint's URL, event types, description or enabled flag

        Enabling a disabled endpoint clears its `disabled_reason`; failed deliveries can then be
        retried or replayed.
        """
        endpoint = subscriptions.update_endpoint(authenticate(), _settings(), webhook_id, data)
        return _with_health([endpoint])[0]

    @requires("webhooks:write")
    @blp.response(204)
    def delete(self, webhook_id):
        """Delete a webhook endpoint

        Nothing more is sent to it, including pending retries.
        """
        subscriptions.delete_endpoint(authenticate(), webhook_id)


@blp.route("/<webhook_id>/rotate-secret")
class WebhookSecretRotation(MethodView):
    @requires("webhooks:write")
    @blp.response(200, WebhookEndpointWithSecretSchema, example=examples.WEBHOOK_WITH_SECRET)
    def post(self, webhook_id):
        """Rotate the signing secret

        Returns the new secret, shown once. For `previous_secret_expires_at` (24 h) every request
        carries two signatures, one per secret, so receivers can switch without downtime.
        """
        endpoint, secret = subscriptions.rotate_secret(authenticate(), _settings(), webhook_id)
        return _with_health([endpoint], secret)[0]


@blp.route("/<webhook_id>/test")
class WebhookTest(MethodView):
    @requires("webhooks:write")
    @idempotent
    @blp.arguments(SendTestSchema, required=False, example=examples.SEND_TEST)
    @blp.response(202, DeliverySchema, example=examples.DELIVERY)
    def post(self, data, webhook_id):
        """Send a signed test event

        Sends the catalogue example of `event_type` to this endpoint only; the delivery (poll it
        with GET /v1/deliveries/{id}) is logged like any other. Test events stay out of
        GET /v1/events.
        """
        delivery = operations.send_test(authenticate(), webhook_id, (data or {}).get("event_type"))
        return _delivery(delivery.id)


@blp.route("/<webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @requires("webhooks:read")
    @blp.arguments(DeliveryListArgs, location="query")
    @blp.response(200, list_schema(DeliverySchema), example=examples.page(examples.DELIVERY))
    def get(self, args, webhook_id):
        """List an endpoint's deliveries, newest first, each with every attempt

        Each attempt has the request as sent (headers and body), the answer's status and first
        KB, the latency and the error.
        """
        endpoint = _owned_endpoint(webhook_id)
        statement = (tenant_select(WebhookDelivery)
                     .where(WebhookDelivery.endpoint_id == endpoint.id)
                     .options(selectinload(WebhookDelivery.attempts)))
        if "status" in args:
            statement = statement.where(WebhookDelivery.status == args["status"])
        return paginate(statement, WebhookDelivery.id, args)


@blp.route("/<webhook_id>/replay")
class WebhookReplay(MethodView):
    @requires("webhooks:write")
    @idempotent
    @blp.arguments(ReplaySchema, example=examples.REPLAY)
    @blp.response(200, ReplayResultSchema, example=examples.REPLAY_RESULT)
    def post(self, data, webhook_id):
        """Send again every event of a time range

        Every event in [`since`, `until`) that the endpoint subscribes to now, whatever happened
        to it before, with its original `webhook-id`. Send `dry_run: true` first to get the
        count. At most 100,000 events per call (422 `replay_too_large`).
        """
        until = data.get("until") or utcnow()
        count = operations.replay(authenticate(), _settings(), webhook_id, data["since"], until,
                                  data["dry_run"])
        return {"endpoint_id": webhook_id, "since": data["since"], "until": until,
                "dry_run": data["dry_run"], "count": count}


@deliveries_blp.route("/<delivery_id>")
class DeliveryById(MethodView):
    @requires("webhooks:read")
    @deliveries_blp.response(200, DeliverySchema, example=examples.DELIVERY)
    def get(self, delivery_id):
        """Get a delivery with its attempts"""
        return _delivery(delivery_id)


@deliveries_blp.route("/<delivery_id>/retry")
class DeliveryRetry(MethodView):
    @requires("webhooks:write")
    @deliveries_blp.response(202, DeliverySchema, example=examples.DELIVERY)
    def post(self, delivery_id):
        """Retry a delivery now

        Starts a fresh retry schedule, with the same `webhook-id`. 409 `endpoint_disabled` if
        the endpoint is disabled, `delivery_in_flight` if it is being sent right now.
        """
        operations.retry_delivery(authenticate(), delivery_id)
        return _delivery(delivery_id)
