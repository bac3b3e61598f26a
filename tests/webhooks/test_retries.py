"""Failure handling: the retry schedule, Retry-After, 410, sustained failure, timeouts,
redirects, the payload cap and the SSRF guard at delivery time."""
from __future__ import annotations

import socket
from datetime import datetime

from sqlalchemy import select

from markethub.platform.extensions import db
from markethub.platform.models import AuditEntry
from webhook_receiver import Answer


def _only_delivery(api, hook_id: str) -> dict:
    [delivery] = api.get(f"/v1/webhooks/{hook_id}/deliveries").json["data"]
    return delivery


def _gaps(delivery: dict) -> list[float]:
    times = [datetime.fromisoformat(a["started_at"]) for a in delivery["attempts"]]
    return [(later - earlier).total_seconds() for earlier, later in zip(times[:-1], times[1:],
                                                                        strict=True)]


def test_the_schedule_comes_from_settings_then_failed_and_replayable(
        api, make_hook, make_product, receiver, engine, hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_retry_schedule_seconds", [0.2, 0.5])
    receiver.script("/hook", default=Answer(500))
    hook = make_hook()
    make_product()

    engine.drain()

    failed = _only_delivery(api, hook["id"])
    assert failed["status"] == "failed" and len(failed["attempts"]) == 3
    first_gap, second_gap = _gaps(failed)
    assert first_gap >= 0.2 and second_gap >= 0.5  # never earlier than the schedule says
    receiver.script("/hook", default=Answer(200))
    retried = api.post(f"/v1/deliveries/{failed['id']}/retry")
    assert retried.status_code == 202 and retried.json["status"] == "pending"
    engine.drain()
    done = _only_delivery(api, hook["id"])
    assert done["status"] == "succeeded" and len(done["attempts"]) == 4
    assert {r.headers["webhook-id"] for r in receiver.received()} == {failed["event_id"]}


def test_the_default_schedule_is_the_seeds():
    from markethub.platform.settings import Settings

    settings = Settings(_env_file=None)
    assert settings.webhook_retry_schedule_seconds == [60, 300, 1800, 3600]
    assert settings.webhook_timeout_seconds == 10


def test_retry_after_is_honoured_within_bounds(api, make_hook, make_product, receiver, engine,
                                               hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_retry_after_max_seconds", 1)
    receiver.script("/hook", Answer(429, headers={"Retry-After": "3600"}))
    hook = make_hook()
    make_product()

    engine.drain()

    delivery = _only_delivery(api, hook["id"])
    assert delivery["status"] == "succeeded"
    [gap] = _gaps(delivery)
    assert 1.0 <= gap < 60  # longer than the 0.2 s schedule; capped at 1 s, not the 3600 asked


def test_410_disables_the_endpoint_at_once(app, api, make_hook, make_product, receiver, engine):
    receiver.script("/hook", default=Answer(410))
    hook = make_hook()
    make_product()

    engine.drain()

    delivery = _only_delivery(api, hook["id"])
    assert delivery["status"] == "failed" and len(delivery["attempts"]) == 1
    endpoint = api.get(f"/v1/webhooks/{hook['id']}").json
    assert endpoint["enabled"] is False and "410 Gone" in endpoint["disabled_reason"]
    make_product()
    engine.run()
    assert len(receiver.received()) == 1  # nothing more is sent
    with app.app_context():
        actions = db.session.execute(select(AuditEntry.action).where(
            AuditEntry.target_id == hook["id"])).scalars().all()
        assert "webhook.disabled" in actions


def test_sustained_failure_disables_with_the_reason(api, make_hook, make_product, receiver,
                                                    engine, hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_disable_after_failing_seconds", 1)
    monkeypatch.setattr(hooks_settings, "webhook_retry_schedule_seconds", [0.6, 0.6, 0.6])
    receiver.script("/hook", default=Answer(503))
    hook = make_hook()
    make_product()

    engine.drain()

    endpoint = api.get(f"/v1/webhooks/{hook['id']}").json
    assert endpoint["enabled"] is False
    assert endpoint["disabled_reason"].startswith("Every delivery failed for ")
    assert "HTTP 503" in endpoint["disabled_reason"]
    enabled = api.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True}).json
    assert enabled["disabled_reason"] is None and enabled["failing_since"] is None


def test_a_success_ends_the_failure_streak(api, make_hook, make_product, receiver, engine):
    receiver.script("/hook", Answer(500))
    hook = make_hook()
    make_product()
    engine.run(0.1)
    assert api.get(f"/v1/webhooks/{hook['id']}").json["failing_since"] is not None

    engine.drain()

    endpoint = api.get(f"/v1/webhooks/{hook['id']}").json
    assert endpoint["failing_since"] is None and endpoint["health"]["success_rate"] == 0.5


def test_timeouts_are_retried(api, make_hook, make_product, receiver, engine, hooks_settings,
                              monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_timeout_seconds", 0.3)
    receiver.script("/hook", Answer(200, delay=1.0))
    hook = make_hook()
    make_product()

    engine.drain()

    first, second = _only_delivery(api, hook["id"])["attempts"]
    assert first["error"].startswith("Timed out after 0.3 s") and first["response_status"] is None
    assert second["succeeded"] is True


def test_connection_errors_are_retried(api, make_hook, make_product, receiver, engine):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hook = make_hook()
    api.patch(f"/v1/webhooks/{hook['id']}", json={"url": f"http://127.0.0.1:{port}/hook"})
    make_product()

    engine.run(0.1)

    delivery = _only_delivery(api, hook["id"])
    assert delivery["status"] == "pending" and delivery["next_attempt_at"]
    assert delivery["attempts"][0]["error"].startswith("Connection failed (ConnectError)")


def test_redirects_are_not_followed(api, make_hook, make_product, receiver, engine,
                                    hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_retry_schedule_seconds", [])
    receiver.script("/hook", default=Answer(302, headers={"Location": receiver.url("/moved")}))
    hook = make_hook()
    make_product()

    engine.drain()

    [attempt] = _only_delivery(api, hook["id"])["attempts"]
    assert attempt["response_status"] == 302 and "redirects are not followed" in attempt["error"]
    assert receiver.received("/moved") == []


def test_payloads_above_the_cap_fail_clearly_without_a_request(api, make_hook, make_product,
                                                                receiver, engine,
                                                                hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "webhook_max_payload_bytes", 2048)
    hook = make_hook()
    make_product(description="d" * 4000)

    engine.drain()

    delivery = _only_delivery(api, hook["id"])
    assert delivery["status"] == "failed" and receiver.received() == []
    [attempt] = delivery["attempts"]
    assert "above the 2,048-byte cap" in attempt["error"]
    assert f"GET /v1/events/{delivery['event_id']}" in attempt["error"]
    assert api.get(f"/v1/webhooks/{hook['id']}").json["failing_since"] is None  # not its fault


def test_the_guard_runs_again_at_delivery_time_after_dns(api, make_hook, make_product,
                                                         receiver, engine, hooks_settings,
                                                         monkeypatch):
    hook = make_hook()
    api.patch(f"/v1/webhooks/{hook['id']}", json={"url": receiver.url(host="localhost")})
    monkeypatch.setattr(hooks_settings, "outbound_allowed_networks", [])  # e.g. DNS now says so
    make_product()

    engine.run(0.1)

    [attempt] = _only_delivery(api, hook["id"])["attempts"]
    assert attempt["error"] == ("Refused by the SSRF guard: 'localhost' resolves to 127.0.0.1 "
                                "(loopback), which outbound calls may not reach.")
    assert receiver.received() == []


def test_an_unreadable_secret_sends_nothing_and_blocks_no_one(app, api, make_hook, make_product,
                                                              receiver, engine):
    from markethub.platform.db import write_transaction
    from markethub.platform.models import WebhookEndpoint

    broken = make_hook("/broken")
    make_hook("/fine")
    with app.app_context(), write_transaction() as session:  # sealed with a key we do not hold
        session.get(WebhookEndpoint, broken["id"]).secret_sealed = "k9:AAAA"
    make_product()

    engine.run(0.1)

    assert [r.path for r in receiver.received()] == ["/fine"]
    delivery = _only_delivery(api, broken["id"])
    assert delivery["status"] == "pending"
    assert "Could not decrypt the endpoint's signing secret" in delivery["attempts"][0]["error"]
    assert api.get(f"/v1/webhooks/{broken['id']}").json["failing_since"] is None
