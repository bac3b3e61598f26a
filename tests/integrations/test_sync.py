"""Syncs against the sandboxes over real HTTP: full and incremental pulls through our services
(events tagged with the integration's origin), runs through a real RQ worker, refused items
recorded, bad credentials, Bling's token refresh."""
from __future__ import annotations

import json
from decimal import Decimal

from erp_support import CREDENTIALS, Sandbox, events, point_settings_at, run_sync, work_queues
from sqlalchemy import func, select, text

from markethub.platform import crypto
from markethub.platform.extensions import db
from markethub.platform.integrations.connections import open_integration
from markethub.platform.models import ExternalRef, Integration, Order, Product


def _count(app, model, tenant_id, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(
            model.tenant_id == tenant_id, *conditions))


def _sync(api, app, integration_id: str) -> dict:
    queued = api.post(f"/v1/integrations/{integration_id}/sync")
    assert queued.status_code == 202, queued.json
    run_sync(app, queued.json["id"])
    return api.get(f"/v1/integrations/runs/{queued.json['id']}").json


def test_a_full_sync_through_the_worker_creates_products_and_orders_as_the_integration(
        app, api, start_erp, connect, account):
    omie = start_erp("omie", products=250, orders=12, customers=8)
    integration = connect("omie")
    omie.clear_calls()

    queued = api.post(f"/v1/integrations/{integration['id']}/sync")
    again = api.post(f"/v1/integrations/{integration['id']}/sync")
    work_queues(app)  # a real RQ worker takes the job (unique id: sync-<integration>)
    run = api.get(f"/v1/integrations/runs/{queued.json['id']}").json

    assert queued.status_code == 202 and queued.json["status"] == "queued"
    assert again.json["id"] == queued.json["id"]  # never two runs at once
    assert run["status"] == "succeeded", run
    assert run["counts"]["product"] == {"created": 250, "updated": 0, "unchanged": 0,
                                        "failed": 0}
    assert run["counts"]["order"]["created"] == 12
    assert run["requests"] == len(omie.api_calls()) and run["duration_seconds"] > 0
    assert _count(app, Product, account.tenant_id) == 250
    created = events(app, account.tenant_id, "product.created")
    assert len(created) == 250
    assert {e.origin for e in created} == {f"integration:{integration['id']}"}
    orders = events(app, account.tenant_id, "order.created")
    assert {e.origin for e in orders} == {f"integration:{integration['id']}"}
    assert _count(app, ExternalRef, account.tenant_id, ExternalRef.resource == "product") == 250
    listed = api.get(f"/v1/integrations/{integration['id']}/runs").json["data"]
    assert [r["id"] for r in listed] == [run["id"]]
    assert api.get(f"/v1/integrations/{integration['id']}").json["last_sync_at"]


def test_an_incremental_sync_after_ten_changes_reads_only_the_changes(app, api, start_erp,
                                                                     connect, account):
    bling = start_erp("bling", products=250, orders=6, customers=5)
    integration = connect("bling")
    first = _sync(api, app, integration["id"])
    before = {p["sku"]: Decimal(p["price"]) for p in api.get("/v1/products?limit=100").json["data"]}
    touched = bling.touch(10)
    bling.clear_calls()

    second = _sync(api, app, integration["id"])

    assert first["status"] == "succeeded" and first["counts"]["product"]["created"] == 250
    assert second["status"] == "succeeded", second
    assert second["counts"]["product"]["updated"] == 10
    assert second["requests"] <= 3, bling.api_calls()  # products page + orders page
    listed = [c for c in bling.api_calls() if c["path"] == "/Api/v3/produtos"]
    assert len(listed) == 1 and "dataAlteracaoInicial" in listed[0]["query"]
    updated = events(app, account.tenant_id, "product.updated")
    assert len(updated) == 10
    assert all(e.origin == f"integration:{integration['id']}" for e in updated)
    assert all(Decimal(e.data["price"]) == before.get(e.data["sku"], Decimal(e.data["price"])
                                                      - 1) + 1 for e in updated)
    with app.app_context():
        linked = set(db.session.execute(select(ExternalRef.external_id).where(
            ExternalRef.local_id.in_([e.data["id"] for e in updated]))).scalars())
    assert linked == {str(i) for i in touched}


def test_stock_pulled_from_bling_goes_through_inventory(app, api, start_erp, connect, account):
    start_erp("bling", products=40, orders=0)
    integration = connect("bling")
    run = _sync(api, app, integration["id"])
    stocked = run["counts"]["inventory"]["updated"]
    inventory = events(app, account.tenant_id, "inventory.updated")
    assert stocked > 0 and len(inventory) == stocked
    assert {e.origin for e in inventory} == {f"integration:{integration['id']}"}


def test_records_we_refuse_are_listed_with_the_reason_and_the_rest_goes_on(app, api, start_erp,
                                                                           connect):
    start_erp("bling", products=30, orders=0)
    integration = connect("bling")
    settings = app.config["MH_SETTINGS"]
    with app.app_context():  # the seller registers a second product with a taken SKU in Bling
        row = db.session.get(Integration, integration["id"])
        with open_integration(settings, row) as session:
            first = session.ctx.client.call("GET", "produtos", params={"limite": 1})["data"][0]
            twin = session.ctx.client.call("POST", "produtos", body={
                "nome": "Gêmeo", "codigo": first["codigo"], "tipo": "P", "situacao": "A",
                "formato": "S", "preco": 10})["data"]["id"]

    run = _sync(api, app, integration["id"])

    assert run["status"] == "partial"
    assert run["counts"]["product"]["created"] == 30 and run["counts"]["product"]["failed"] == 1
    (error,) = run["errors"]
    assert (error["entity"], error["external_id"], error["code"]) == (
        "product", str(twin), "duplicate_sku_in_erp")
    assert first["codigo"] in error["message"] and error["fields"] == {
        "sku": ["Used by two ERP products."]}


def test_bad_credentials_during_a_sync_put_the_integration_in_error(app, api, start_erp,
                                                                   connect, account,
                                                                   erp_settings, monkeypatch):
    start_erp("omie")
    integration = connect("omie")
    changed_keys = Sandbox("omie", rate_limit=False, products=5, app_secret="a-new-secret")
    try:
        point_settings_at(monkeypatch, erp_settings, changed_keys)
        run = _sync(api, app, integration["id"])
    finally:
        changed_keys.stop()

    assert run["status"] == "failed" and run["error"]["code"] == "erp_auth_failed"
    assert run["error"]["erp_message"]
    shown = api.get(f"/v1/integrations/{integration['id']}").json
    assert shown["status"] == "error" and shown["error"]["code"] == "erp_auth_failed"
    errors = events(app, account.tenant_id, "integration.error")
    assert [(e.data["id"], e.origin) for e in errors] == [
        (integration["id"], f"integration:{integration['id']}")]
    refused = api.post(f"/v1/integrations/{integration['id']}/sync")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "integration_not_connected"


def test_an_expired_bling_token_is_refreshed_once_and_the_new_pair_persisted(app, api,
                                                                            start_erp, connect):
    bling = start_erp("bling", products=20, orders=2, customers=2)
    integration = connect("bling")
    settings = app.config["MH_SETTINGS"]

    def stored() -> dict:
        with app.app_context():
            sealed = db.session.execute(text("SELECT credentials_sealed FROM integrations "
                                             "WHERE id = :id"), {"id": integration["id"]}).scalar()
        return json.loads(crypto.unseal(settings, sealed, f"integration:{integration['id']}"))

    before = stored()
    bling.http.post("/__sandbox/expire-tokens").raise_for_status()
    bling.clear_calls()

    run = _sync(api, app, integration["id"])
    after = stored()

    assert run["status"] == "succeeded", run
    refreshes = [c for c in bling.calls("/Api/v3/oauth/token")
                 if c["body"]["grant_type"] == "refresh_token"]
    assert len(refreshes) == 1
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != before["access_token"]
    assert after["client_id"] == CREDENTIALS["bling"]["client_id"]
    assert before["refresh_token"] not in json.dumps(api.get(
        f"/v1/integrations/{integration['id']}").json)
    second = _sync(api, app, integration["id"])  # the persisted pair works in a new session
    assert second["status"] == "succeeded"


def test_orders_pulled_twice_are_the_same_orders(app, api, start_erp, connect, account):
    start_erp("tiny", products=30, orders=8, customers=4)
    integration = connect("tiny")
    first = _sync(api, app, integration["id"])
    with app.app_context():  # the next pull re-reads everything (checkpoint forgotten)
        db.session.execute(text("UPDATE integrations SET checkpoints = '{}' WHERE id = :id"),
                           {"id": integration["id"]})
        db.session.commit()
    second = _sync(api, app, integration["id"])

    assert first["counts"]["order"]["created"] == 8
    assert second["counts"]["order"] == {"created": 0, "updated": 0, "unchanged": 8, "failed": 0}
    assert second["counts"]["product"]["unchanged"] == 30
    assert _count(app, Order, account.tenant_id) == 8
