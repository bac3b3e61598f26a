"""On-demand sending: test events, secret rotation in flight, retry, replay, expired leases."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from markethub.platform.events import ssrf
from markethub.platform.events.claims import claim_due, new_lease_token
from markethub.platform.events.dispatcher import dispatch_pending
from markethub.platform.events.sender import send
from webhook_receiver import Answer


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def test_a_test_event_goes_to_that_endpoint_only_and_stays_out_of_the_log(
        api, make_hook, receiver, engine):
    hook = make_hook("/a", event_types=["order.*"])
    make_hook("/b")

    response = api.post(f"/v1/webhooks/{hook['id']}/test", json={"event_type": "order.shipped"})
    engine.run()

    assert response.status_code == 202 and response.json["event_type"] == "order.shipped"
    [request] = receiver.received()
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert request.path == "/a" and payload["event"] == "order.shipped"
    assert payload["data"]["status"] == "shipped"
    assert api.get("/v1/events").json["data"] == []
    delivery = api.get(f"/v1/deliveries/{response.json['id']}").json
    assert delivery["status"] == "succeeded" and len(delivery["attempts"]) == 1


def test_a_test_event_defaults_to_a_subscribed_type(api, make_hook, receiver, engine):
    hook = make_hook(event_types=["customer.*"])
    api.post(f"/v1/webhooks/{hook['id']}/test")
    engine.run()
    assert receiver.received()[0].json["event"] == "customer.created"


def test_a_test_event_type_must_exist(api, make_hook):
    hook = make_hook()
    response = api.post(f"/v1/webhooks/{hook['id']}/test", json={"event_type": "order.paid"})
    assert response.status_code == 422 and "event_type" in response.json["error"]["fields"]


def test_after_rotation_requests_verify_with_old_and_new_secret(
        api, make_hook, make_product, receiver, engine, hooks_settings, monkeypatch):
    hook = make_hook()
    new_secret = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret").json["secret"]
    make_product()
    engine.run()

    [request] = receiver.received()
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new_secret).verify(request.body, request.headers)
    assert Webhook(hook["secret"]).verify(request.body, request.headers)

    monkeypatch.setattr(hooks_settings, "webhook_secret_overlap_seconds", 0)
    newest = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret").json["secret"]
    make_product()
    engine.run()
    last = receiver.received()[-1]
    assert Webhook(newest).verify(last.body, last.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret).verify(last.body, last.headers)


def test_retry_is_refused_while_the_endpoint_is_disabled(api, make_hook, make_product,
                                                         receiver, engine):
    receiver.script("/hook", default=Answer(410))
    hook = make_hook()
    make_product()
    engine.drain()
    [delivery] = api.get(f"/v1/webhooks/{hook['id']}/deliveries").json["data"]

    refused = api.post(f"/v1/deliveries/{delivery['id']}/retry")

    assert refused.status_code == 409 and refused.json["error"]["code"] == "endpoint_disabled"


def test_replay_counts_first_then_sends_with_the_original_ids(api, make_hook, make_product,
                                                              receiver, engine):
    hook = make_hook(event_types=["product.*"])
    start = datetime.now(timezone.utc)
    first = make_product()
    middle = datetime.now(timezone.utc)
    make_product()
    api.post("/v1/customers", json={"name": "Fora do filtro"})
    engine.drain()
    delivered = {r.headers["webhook-id"] for r in receiver.received()}
    assert len(delivered) == 2

    path = f"/v1/webhooks/{hook['id']}/replay"
    dry = api.post(path, json={"since": _iso(start), "dry_run": True})
    later_half = api.post(path, json={"since": _iso(middle), "dry_run": True})
    assert dry.status_code == 200 and dry.json["count"] == 2 and dry.json["dry_run"] is True
    assert later_half.json["count"] == 1
    engine.run()
    assert len(receiver.received()) == 2  # a dry run sends nothing

    sent = api.post(path, json={"since": _iso(start), "until": _iso(middle)})
    engine.drain()

    assert sent.json == {**sent.json, "count": 1, "dry_run": False}
    replayed = receiver.received()[2:]
    assert [r.json["data"]["id"] for r in replayed] == [first["id"]]
    assert replayed[0].headers["webhook-id"] in delivered


def test_replay_validates_its_range(api, make_hook):
    hook = make_hook()
    path = f"/v1/webhooks/{hook['id']}/replay"
    now = datetime.now(timezone.utc)

    backwards = api.post(path, json={"since": _iso(now), "until": _iso(now - timedelta(hours=1))})
    missing = api.post(path, json={"dry_run": True})
    naive = api.post(path, json={"since": "2026-01-01T00:00:00"})

    assert backwards.status_code == 422
    assert backwards.json["error"]["code"] == "invalid_time_range"
    assert missing.status_code == 422 and "since" in missing.json["error"]["fields"]
    assert naive.status_code == 422 and "since" in naive.json["error"]["fields"]


def test_replay_refuses_ranges_above_the_limit(api, make_hook, make_product, hooks_settings,
                                               monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_replay_max_events", 1)
    hook = make_hook()
    start = datetime.now(timezone.utc)
    make_product()
    make_product()

    response = api.post(f"/v1/webhooks/{hook['id']}/replay",
                        json={"since": _iso(start), "dry_run": True})

    assert response.status_code == 422 and response.json["error"]["code"] == "replay_too_large"


def test_an_expired_lease_is_sent_again_with_the_same_webhook_id(
        app, make_hook, make_product, receiver, engine, hooks_settings, monkeypatch):
    """A worker that sent but died before recording: the delivery comes due again."""
    monkeypatch.setattr(hooks_settings, "webhook_timeout_seconds", 0.3)
    monkeypatch.setattr(hooks_settings, "webhook_lease_margin_seconds", 0.2)
    make_hook()
    make_product()
    with app.app_context():
        dispatch_pending()
        [claim] = claim_due(hooks_settings, 10, new_lease_token())
        with ssrf.guarded_client(hooks_settings, 1) as client:
            send(client, hooks_settings, claim)  # ...and the worker dies here
        # leased: nobody else takes it meanwhile
        assert claim_due(hooks_settings, 10, new_lease_token()) == []

    time.sleep(0.6)
    engine.drain()

    first, second = receiver.received()
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == claim.event_id
