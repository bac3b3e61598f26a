"""/v1/webhooks: create (secret once), read, change, delete, rotate; validation, tenancy, audit."""
from __future__ import annotations

from sqlalchemy import select

from markethub.platform.extensions import db
from markethub.platform.models import AuditEntry, WebhookEndpoint


def _code(response) -> str:
    return response.json["error"]["code"]


def test_create_shows_the_secret_once(api, make_hook):
    created = make_hook(event_types=["order.*", "product.stock_low"], description="ERP")

    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["order.*", "product.stock_low"]
    assert created["enabled"] is True and created["disabled_reason"] is None
    fetched = api.get(f"/v1/webhooks/{created['id']}").json
    assert "secret" not in fetched
    assert created["secret"] not in str(api.get("/v1/webhooks").json)


def test_event_types_default_to_everything(make_hook):
    assert make_hook()["event_types"] == ["*"]


def test_the_secret_is_sealed_at_rest(app, make_hook):
    created = make_hook()
    with app.app_context():
        row = db.session.get(WebhookEndpoint, created["id"])
        assert created["secret"] not in row.secret_sealed
        assert created["secret"].removeprefix("whsec_") not in row.secret_sealed
        assert row.secret_sealed.startswith("k1:")


def test_unknown_event_types_are_a_422_naming_the_entry(api, receiver, hooks_settings):
    response = api.post("/v1/webhooks", json={"url": receiver.url(),
                                              "event_types": ["order.*", "order.paid"]})
    assert response.status_code == 422
    assert _code(response) == "unknown_event_type"
    assert list(response.json["error"]["fields"]) == ["event_types[1]"]


def test_missing_or_malformed_fields_are_422(api, hooks_settings):
    missing = api.post("/v1/webhooks", json={"event_types": ["*"]})
    empty = api.post("/v1/webhooks", json={"url": "https://8.8.8.8/h", "event_types": []})
    unknown = api.post("/v1/webhooks", json={"url": "https://8.8.8.8/h", "secret": "x"})

    assert [r.status_code for r in (missing, empty, unknown)] == [422, 422, 422]
    assert "url" in missing.json["error"]["fields"]
    assert "event_types" in empty.json["error"]["fields"]
    assert "secret" in unknown.json["error"]["fields"]


def test_internal_urls_are_refused_at_creation(api, hooks_settings):
    for url in ("http://10.0.0.5/hook", "http://169.254.169.254/", "http://127.0.0.2:1/x"):
        response = api.post("/v1/webhooks", json={"url": url})
        assert response.status_code == 422, url
        assert _code(response) == "url_not_allowed"
        assert response.json["error"]["fields"]["url"]


def test_loopback_is_refused_unless_allow_listed(api, receiver, hooks_settings, monkeypatch):
    monkeypatch.setattr(hooks_settings, "outbound_allowed_networks", [])
    response = api.post("/v1/webhooks", json={"url": receiver.url()})
    assert response.status_code == 422 and _code(response) == "url_not_allowed"


def test_patch_changes_fields_and_revalidates_the_url(api, make_hook, receiver):
    hook = make_hook()

    changed = api.patch(f"/v1/webhooks/{hook['id']}", json={
        "url": receiver.url("/other"), "event_types": ["customer.*"], "description": "CRM"})
    refused = api.patch(f"/v1/webhooks/{hook['id']}", json={"url": "http://192.168.0.10/"})

    assert changed.status_code == 200
    assert changed.json["url"].endswith("/other") and changed.json["event_types"] == ["customer.*"]
    assert refused.status_code == 422 and _code(refused) == "url_not_allowed"


def test_disable_and_enable_record_and_clear_the_reason(api, make_hook):
    hook = make_hook()

    disabled = api.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": False}).json
    enabled = api.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True}).json

    assert disabled["enabled"] is False and disabled["disabled_reason"]
    assert enabled["enabled"] is True and enabled["disabled_reason"] is None


def test_delete_then_404(api, make_hook):
    hook = make_hook()
    assert api.delete(f"/v1/webhooks/{hook['id']}").status_code == 204
    response = api.get(f"/v1/webhooks/{hook['id']}")
    assert response.status_code == 404 and _code(response) == "webhook_not_found"
    assert hook["id"] not in [item["id"] for item in api.get("/v1/webhooks").json["data"]]


def test_rotate_returns_a_new_secret_and_keeps_the_old_one_signing(api, make_hook):
    hook = make_hook()
    rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret")

    assert rotated.status_code == 200
    assert rotated.json["secret"].startswith("whsec_") and rotated.json["secret"] != hook["secret"]
    assert rotated.json["previous_secret_expires_at"]


def test_another_tenants_webhook_is_a_404(client, make_hook, other_account):
    hook = make_hook()
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("post", "/test"),
                         ("post", "/rotate-secret"), ("get", "/deliveries")):
        kwargs = {"json": {}} if method in ("patch", "post") else {}
        response = getattr(client, method)(f"/v1/webhooks/{hook['id']}{path}",
                                           headers=other_account.headers, **kwargs)
        assert response.status_code == 404, (method, path)


def test_scopes_are_enforced(client, make_account, make_hook):
    hook = make_hook()
    reader = make_account(scopes=["webhooks:read"])
    assert client.get("/v1/webhooks", headers=reader.headers).status_code == 200
    response = client.post("/v1/webhooks", headers=reader.headers, json={"url": "https://x.y"})
    assert response.status_code == 403 and _code(response) == "insufficient_scope"
    response = client.delete(f"/v1/webhooks/{hook['id']}", headers=reader.headers)
    assert response.status_code == 403


def test_changes_are_audited_without_the_secret(app, api, make_hook, account):
    hook = make_hook()
    api.patch(f"/v1/webhooks/{hook['id']}", json={"description": "novo"})
    rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret").json
    api.delete(f"/v1/webhooks/{hook['id']}")

    with app.app_context():
        entries = db.session.execute(select(AuditEntry).where(
            AuditEntry.tenant_id == account.tenant_id, AuditEntry.target_id == hook["id"])
            .order_by(AuditEntry.id)).scalars().all()
        assert [entry.action for entry in entries] == [
            "webhook.created", "webhook.updated", "webhook.secret_rotated", "webhook.deleted"]
        assert entries[1].details["changes"]["description"]["to"] == "novo"
        for entry in entries:
            assert hook["secret"] not in str(entry.details)
            assert rotated["secret"] not in str(entry.details)


def test_list_is_paginated_newest_first(api, make_hook):
    ids = [make_hook()["id"] for _ in range(3)]
    first = api.get("/v1/webhooks?limit=2").json
    second = api.get(f"/v1/webhooks?limit=2&cursor={first['next_cursor']}").json
    listed = [item["id"] for item in first["data"] + second["data"]]
    assert listed[:3] == list(reversed(ids))
