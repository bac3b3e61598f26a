"""The integrations API: connect, read (masked), change (the mask keeps secrets), test, delete;
credentials sealed at rest; clear 4xx errors; tenants isolated; audited."""
from __future__ import annotations

import json

from erp_support import CREDENTIALS, events
from sqlalchemy import select, text

from markethub.connectors.sdk.credentials import MASK
from markethub.platform import crypto
from markethub.platform.extensions import db
from markethub.platform.errors import ConflictError
from markethub.platform.integrations.connections import effective_config
from markethub.platform.models import AuditEntry, Integration
from markethub.platform.services import integrations as service


def _raw_credentials(app, integration_id: str) -> str:
    with app.app_context():
        return db.session.execute(text("SELECT credentials_sealed FROM integrations "
                                       "WHERE id = :id"), {"id": integration_id}).scalar()


def _unsealed(app, integration_id: str) -> dict:
    settings = app.config["MH_SETTINGS"]
    return json.loads(crypto.unseal(settings, _raw_credentials(app, integration_id),
                                    f"integration:{integration_id}"))


def test_connecting_omie_tests_the_keys_and_stores_them_sealed_and_masked(app, api, start_erp,
                                                                          account):
    omie = start_erp("omie")
    created = api.post("/v1/integrations", json={
        "provider": "omie", "credentials": CREDENTIALS["omie"], "sync_mode": "automatic"})

    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "connected" and body["account_label"]
    assert body["credentials"] == {"app_key": CREDENTIALS["omie"]["app_key"], "app_secret": MASK}
    assert body["sync_interval_minutes"] == 15 and body["next_sync_at"] is not None
    raw = _raw_credentials(app, body["id"])
    assert CREDENTIALS["omie"]["app_secret"] not in raw and raw.startswith("k1:")
    assert _unsealed(app, body["id"]) == CREDENTIALS["omie"]
    listed = api.get("/v1/integrations").json["data"]
    assert [i["credentials"]["app_secret"] for i in listed] == [MASK]
    assert [c["path"] for c in omie.api_calls()] == ["/api/v1/geral/empresas/"]
    connected = events(app, account.tenant_id, "integration.connected")
    assert [e.data["id"] for e in connected] == [body["id"]]


def test_sealed_credentials_do_not_open_on_another_integration(app, api, start_erp):
    start_erp("tiny")
    first = api.post("/v1/integrations", json={"provider": "tiny",
                                               "credentials": CREDENTIALS["tiny"]}).json
    second = api.post("/v1/integrations", json={"provider": "tiny",
                                                "credentials": CREDENTIALS["tiny"]}).json
    settings = app.config["MH_SETTINGS"]
    sealed = _raw_credentials(app, first["id"])
    try:
        crypto.unseal(settings, sealed, f"integration:{second['id']}")
        raise AssertionError("a sealed value opened under another integration's context")
    except crypto.DecryptionError:
        pass


def test_the_mask_sent_back_keeps_the_secret_and_other_changes_keep_credentials(app, api,
                                                                              start_erp):
    start_erp("omie")
    created = api.post("/v1/integrations", json={"provider": "omie",
                                                 "credentials": CREDENTIALS["omie"]}).json
    path = f"/v1/integrations/{created['id']}"

    renamed = api.put(path, json={"name": "Omie matriz", "sync_mode": "manual",
                                  "reactions": {"push_stock": True}})
    round_trip = api.put(path, json={"credentials": renamed.json["credentials"]})

    assert renamed.status_code == 200 and round_trip.status_code == 200, round_trip.json
    assert renamed.json["name"] == "Omie matriz" and renamed.json["reactions"]["push_stock"]
    assert renamed.json["next_sync_at"] is None  # manual
    assert _unsealed(app, created["id"]) == CREDENTIALS["omie"]
    assert round_trip.json["status"] == "connected"


def test_changed_credentials_are_tested_again_and_bad_ones_mean_error(app, api, start_erp,
                                                                    account):
    start_erp("omie")
    created = api.post("/v1/integrations", json={"provider": "omie",
                                                 "credentials": CREDENTIALS["omie"]}).json

    changed = api.put(f"/v1/integrations/{created['id']}",
                      json={"credentials": {"app_secret": "wrong-secret"}})

    assert changed.status_code == 200
    assert changed.json["status"] == "error"
    assert changed.json["error"]["code"] == "erp_auth_failed"
    assert changed.json["error"]["erp_message"]  # Omie's own words
    assert "wrong-secret" not in json.dumps(changed.json)
    errors = events(app, account.tenant_id, "integration.error")
    assert [(e.data["id"], e.data["error"]["code"]) for e in errors] == [
        (created["id"], "erp_auth_failed")]


def test_the_test_endpoint_tells_bad_credentials_from_an_unreachable_erp(app, api, start_erp,
                                                                       erp_settings,
                                                                       monkeypatch, account):
    start_erp("tiny")
    created = api.post("/v1/integrations", json={"provider": "tiny",
                                                 "credentials": CREDENTIALS["tiny"]}).json
    path = f"/v1/integrations/{created['id']}/test"

    good = api.post(path)
    trial = api.post(path, json={"credentials": {"token": "not-the-token-0000"}})
    monkeypatch.setattr(erp_settings, "tiny_base_url", "http://127.0.0.1:9/api2")
    unreachable = api.post(path)

    assert good.json == {"object": "integration_test", "ok": True, "status": "connected",
                         "label": good.json["label"], "error": None}
    assert trial.json["ok"] is False and trial.json["error"]["code"] == "erp_auth_failed"
    assert trial.json["status"] == "connected"  # a trial does not touch the integration
    assert unreachable.json["ok"] is False
    assert unreachable.json["error"]["code"] == "erp_unreachable"
    assert unreachable.json["error"]["retryable"] is True
    assert unreachable.json["status"] == "connected"  # not the credentials' fault
    assert events(app, account.tenant_id, "integration.error") == []


def test_bad_input_is_a_422_naming_the_fields_without_echoing_secrets(api, start_erp):
    start_erp("omie")
    cases = [
        ({"provider": "sap"}, "validation_error", ["provider"]),
        ({"provider": "omie", "credentials": {"app_key": "abc", "app_secret": "s3cr3t-value"}},
         "validation_error", ["credentials.app_key"]),
        ({"provider": "omie", "credentials": {"app_key": "1"}}, "validation_error",
         ["credentials"]),
        ({"provider": "omie", "credentials": CREDENTIALS["omie"],
          "reactions": {"create_orders": True}}, "unsupported_reaction",
         ["reactions.create_orders"]),
        ({"provider": "omie", "credentials": CREDENTIALS["omie"],
          "config": {"base_url": "http://169.254.169.254/"}}, "validation_error", ["config"]),
        ({"provider": "tiny", "credentials": {"token": "x" * 20},
          "sync_interval_minutes": 1}, "validation_error", ["sync_interval_minutes"]),
    ]
    for body, code, fields in cases:
        answer = api.post("/v1/integrations", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert answer.json["error"]["code"] == code, answer.json
        assert sorted(answer.json["error"]["fields"]) == fields, answer.json
        assert "s3cr3t-value" not in answer.get_data(as_text=True)


def test_another_tenant_gets_404_for_every_integration_route(api, other_account, client,
                                                            start_erp, connect):
    start_erp("tiny")
    mine = connect("tiny")
    run = api.post(f"/v1/integrations/{mine['id']}/sync").json
    theirs = {"Authorization": f"Bearer {other_account.api_key}"}
    base = f"/v1/integrations/{mine['id']}"
    calls = [("get", base), ("put", base), ("delete", base), ("post", base + "/test"),
             ("post", base + "/sync"), ("get", base + "/runs"), ("get", base + "/pushes"),
             ("post", base + "/oauth/start"), ("get", f"/v1/integrations/runs/{run['id']}")]
    for method, path in calls:
        kwargs = {"json": {}} if method in ("put", "post") else {}
        answer = getattr(client, method)(path, headers=theirs, **kwargs)
        assert answer.status_code == 404, (method, path, answer.json)
    assert client.get("/v1/integrations", headers=theirs).json["data"] == []


def test_scopes_are_checked(make_account, client):
    reader = make_account(scopes=["integrations:read"])
    headers = {"Authorization": f"Bearer {reader.api_key}"}
    assert client.get("/v1/integrations", headers=headers).status_code == 200
    assert client.get("/v1/catalogue", headers=headers).status_code == 200
    refused = client.post("/v1/integrations", headers=headers, json={"provider": "tiny"})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "insufficient_scope"


def test_delete_disconnects_forgets_credentials_and_is_audited(app, api, start_erp, connect,
                                                               account):
    start_erp("tiny")
    integration = connect("tiny", name="Tiny da loja")
    path = f"/v1/integrations/{integration['id']}"

    assert api.put(path, json={"sync_mode": "automatic"}).status_code == 200
    assert api.delete(path).status_code == 204

    assert api.get(path).status_code == 404
    assert _raw_credentials(app, integration["id"]) is None
    kinds = [e.type for e in events(app, account.tenant_id) if e.type.startswith("integration.")]
    assert kinds == ["integration.connected", "integration.disconnected"]
    with app.app_context():
        actions = db.session.execute(select(AuditEntry.action).where(
            AuditEntry.target_id == integration["id"]).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["integration.created", "integration.connected", "integration.updated",
                       "integration.deleted"]


def test_catalogue_is_the_connectors_document(api):
    answer = api.get("/v1/catalogue")
    assert answer.status_code == 200
    keys = [connector["key"] for connector in answer.json["connectors"]]
    assert keys == ["bling", "omie", "tiny"]
    assert answer.json["digest"].startswith("sha256:")
    omie = answer.json["connectors"][1]
    assert omie["auth"]["schema"]["secret"] == ["app_secret"]


def test_the_hub_can_disconnect_and_connect_again(app, api, start_erp, connect, account):
    start_erp("tiny")
    integration = connect("tiny", sync_mode="automatic")
    bling = api.post("/v1/integrations", json={"provider": "bling",
                                               "credentials": CREDENTIALS["bling"]}).json
    settings = app.config["MH_SETTINGS"]
    with app.app_context():
        principal = account.principal()
        off = service.disconnect_integration(principal, settings, integration["id"])
        off_state = (off.status, off.next_sync_at)
        back = service.connect_integration(principal, settings, integration["id"])
        try:
            service.connect_integration(principal, settings, bling["id"])
            raise AssertionError("Bling connects through OAuth only")
        except ConflictError as error:
            assert error.code == "oauth_required"
        db.session.remove()

    assert off_state == ("disconnected", None)
    assert back.ok and back.status == "connected"
    shown = api.get(f"/v1/integrations/{integration['id']}").json
    assert shown["status"] == "connected" and shown["next_sync_at"] is not None
    kinds = [e.type for e in events(app, account.tenant_id) if e.type.startswith("integration.")]
    assert kinds == ["integration.connected", "integration.disconnected",
                     "integration.connected"]


def test_the_sellers_tiny_plan_sets_the_governors_limit(app, api, start_erp):
    start_erp("tiny")
    created = api.post("/v1/integrations", json={
        "provider": "tiny", "credentials": CREDENTIALS["tiny"],
        "config": {"calls_per_minute": 30}}).json
    with app.app_context():
        config = effective_config(app.config["MH_SETTINGS"],
                                  db.session.get(Integration, created["id"]))
        db.session.remove()
    assert created["config"] == {"calls_per_minute": 30} and config["calls_per_minute"] == 30
    assert config["base_url"] == app.config["MH_SETTINGS"].tiny_base_url  # never the seller's
