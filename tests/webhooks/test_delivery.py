"""From a write to a signed request at a real receiver: shape, signature, filters, the log."""
from __future__ import annotations

from datetime import datetime

from standardwebhooks import Webhook

from webhook_receiver import Answer


def _deliveries(api, hook_id: str) -> list[dict]:
    response = api.get(f"/v1/webhooks/{hook_id}/deliveries")
    assert response.status_code == 200, response.json
    return response.json["data"]


def test_a_write_arrives_signed_in_the_documented_shape(api, account, make_hook, make_product,
                                                         receiver, engine):
    hook = make_hook()
    product = make_product(name="Caneca Azul")

    engine.run()

    [request] = receiver.wait_for(1)
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert set(payload) == {"id", "event", "timestamp", "tenant_id", "data"}
    assert payload["event"] == "product.created" and payload["tenant_id"] == account.tenant_id
    assert payload["data"] == api.get(f"/v1/products/{product['id']}").json
    assert datetime.fromisoformat(payload["timestamp"]).utcoffset().total_seconds() == 0
    assert request.headers["webhook-id"] == payload["id"]
    assert request.headers["content-type"] == "application/json"
    assert api.get(f"/v1/events/{payload['id']}").json == payload  # pull gives the same document


def test_every_attempt_is_logged_with_request_and_capped_answer(api, make_hook, make_product,
                                                                receiver, engine):
    receiver.script("/hook", Answer(503, "x" * 3000))
    hook = make_hook()
    make_product()

    engine.drain()

    [delivery] = _deliveries(api, hook["id"])
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 2
    first, second = delivery["attempts"]
    assert first["response_status"] == 503 and first["error"] == "HTTP 503."
    assert first["response_body"] == "x" * 1024 and first["response_body_truncated"] is True
    assert first["request_headers"]["webhook-id"] == delivery["event_id"]
    assert first["request_body"] == receiver.received()[0].body.decode()
    assert first["latency_ms"] > 0 and first["succeeded"] is False
    assert second["response_status"] == 200 and second["succeeded"] is True
    assert second["response_body"] == "ok" and second["error"] is None
    ids = {request.headers["webhook-id"] for request in receiver.received()}
    assert ids == {delivery["event_id"]}  # the same webhook-id on every attempt


def test_subscriptions_filter_by_type_and_wildcard(api, make_hook, make_product, receiver,
                                                   engine):
    make_hook("/orders", event_types=["order.*"])
    make_hook("/stock", event_types=["product.stock_low"])
    make_hook("/all", event_types=["*"])
    product = make_product(price="10.00")
    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 10, "low_stock_threshold": 3})
    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 2})
    api.put(f"/v1/inventory/{product['id']}", json={"quantity": 1})  # still low: no new alert
    customer = api.post("/v1/customers", json={"name": "Ana"}).json
    order = api.post("/v1/orders", json={"customer_id": customer["id"],
                                         "items": [{"product_id": product["id"],
                                                    "quantity": 1}]}).json
    api.put(f"/v1/orders/{order['id']}", json={"status": "cancelled"})

    engine.drain()

    def types(path):
        return sorted(r.json["event"] for r in receiver.received(path))
    assert types("/orders") == sorted(["order.created", "order.updated",
                                       "order.status_changed", "order.cancelled"])
    assert types("/stock") == ["product.stock_low"]
    everything = api.get("/v1/events?limit=100").json["data"]
    assert len(everything) == 11
    assert types("/all") == sorted(event["event"] for event in everything)


def test_an_endpoint_only_gets_events_from_after_its_creation(make_hook, make_product, receiver,
                                                              engine):
    make_product()
    make_hook()
    engine.run()
    assert receiver.received() == []


def test_a_disabled_endpoint_gets_nothing(api, make_hook, make_product, receiver, engine):
    hook = make_hook()
    api.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": False})
    make_product()

    engine.run()

    assert receiver.received() == [] and _deliveries(api, hook["id"]) == []


def test_deleting_an_endpoint_stops_its_retries(api, make_hook, make_product, receiver, engine):
    receiver.script("/hook", default=Answer(500))
    hook = make_hook()
    make_product()
    engine.run(0.1)
    [delivery] = _deliveries(api, hook["id"])
    assert len(receiver.received()) == 1

    api.delete(f"/v1/webhooks/{hook['id']}")
    engine.drain()

    assert len(receiver.received()) == 1
    after = api.get(f"/v1/deliveries/{delivery['id']}").json
    assert after["status"] == "failed" and "deleted" in after["last_error"]


def test_the_delivery_log_filters_by_status_and_pages(api, make_hook, make_product, receiver,
                                                      engine):
    receiver.script("/hook", default=Answer(500))
    hook = make_hook()
    make_product()
    engine.drain()
    receiver.script("/hook", default=Answer(200))
    make_product()
    make_product()
    engine.drain()

    failed = api.get(f"/v1/webhooks/{hook['id']}/deliveries?status=failed").json["data"]
    assert len(failed) == 1 and len(failed[0]["attempts"]) == 5
    page = api.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2").json
    rest = api.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2&cursor={page['next_cursor']}")
    assert page["has_more"] and len(page["data"]) == 2 and len(rest.json["data"]) == 1
    bad = api.get(f"/v1/webhooks/{hook['id']}/deliveries?status=lost")
    assert bad.status_code == 422 and "status" in bad.json["error"]["fields"]


def test_a_slow_endpoint_does_not_hold_up_the_others(make_hook, make_product, receiver, engine):
    receiver.script("/slow", default=Answer(delay=1.0))
    make_hook("/slow")
    make_hook("/fast")
    for _ in range(4):
        make_product()

    engine.drain()

    slow, fast = receiver.received("/slow"), receiver.received("/fast")
    assert len(slow) == len(fast) == 4
    first_slow_answer = min(r.at for r in slow) + 1.0
    assert max(r.at for r in fast) < first_slow_answer  # all sent while the slow ones hung
