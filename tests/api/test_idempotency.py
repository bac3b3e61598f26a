"""`Idempotency-Key` on POST replays the first response; other uses of the key are refused."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from markethub.platform.api.idempotency import _fingerprint
from markethub.platform.db import utcnow, write_transaction
from markethub.platform.extensions import db
from markethub.platform.models import IdempotencyRecord

from api_helpers import PRODUCT, call_as, error_code


def _post(api, key, body=PRODUCT, path="/v1/products"):
    return api.post(path, json=body, headers={"Idempotency-Key": key})


def test_same_key_and_body_replays_the_first_response(api):
    first = _post(api, "key-1")

    second = _post(api, "key-1")

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(api.get("/v1/products").json["data"]) == 1


def test_replay_works_for_orders_and_customers(api, make_product):
    customer = _post(api, "cus-key", {"name": "Ana"}, "/v1/customers")
    order_body = {"customer_id": customer.json["id"],
                  "items": [{"product_id": make_product()["id"], "quantity": 2}]}
    order = _post(api, "ord-key", order_body, "/v1/orders")

    assert _post(api, "cus-key", {"name": "Ana"}, "/v1/customers").json == customer.json
    assert _post(api, "ord-key", order_body, "/v1/orders").json == order.json
    assert len(api.get("/v1/customers").json["data"]) == 1
    assert len(api.get("/v1/orders").json["data"]) == 1


def test_same_key_with_a_different_body_is_422(api):
    _post(api, "key-2")

    response = _post(api, "key-2", {**PRODUCT, "price": "1.00"})

    assert response.status_code == 422
    assert error_code(response) == "idempotency_key_reused"
    assert len(api.get("/v1/products").json["data"]) == 1


def test_same_key_on_another_endpoint_is_422(api):
    _post(api, "key-3")

    response = _post(api, "key-3", {"name": "Ana"}, "/v1/customers")

    assert response.status_code == 422
    assert error_code(response) == "idempotency_key_reused"


def test_keys_are_per_tenant(api, other_api):
    mine = _post(api, "shared-key")

    theirs = _post(other_api, "shared-key")

    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json["id"] != mine.json["id"]
    assert [p["id"] for p in other_api.get("/v1/products").json["data"]] == [theirs.json["id"]]


def test_a_failed_request_does_not_burn_the_key(api):
    failed = _post(api, "retry-me", {**PRODUCT, "price": "abc"})
    assert failed.status_code == 422

    fixed = _post(api, "retry-me", PRODUCT)

    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers


def test_a_conflict_does_not_burn_the_key(api, make_product):
    taken = make_product(sku="TAKEN")
    assert _post(api, "conflict", {**PRODUCT, "sku": "TAKEN"}).status_code == 409
    api.delete(f"/v1/products/{taken['id']}")

    assert _post(api, "conflict", {**PRODUCT, "sku": "TAKEN"}).status_code == 201


def test_a_replay_still_needs_the_scope(api, client, make_api_key, account):
    _post(api, "scoped")
    reader = call_as(client, make_api_key(account, ["products:read"]))

    response = _post(reader, "scoped")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_malformed_keys_are_refused(api, key):
    response = _post(api, key)

    assert response.status_code == 400
    assert error_code(response) == "invalid_idempotency_key"
    assert api.get("/v1/products").json["data"] == []


def test_concurrent_requests_with_one_key_create_one_row(app, account):
    statuses: list[int] = []

    def send():
        with app.test_client() as client:
            statuses.append(client.post("/v1/products", json=PRODUCT, headers={
                **account.headers, "Idempotency-Key": "race"}).status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}  # 409 idempotency_key_in_progress: retry later
    with app.test_client() as client:
        assert len(client.get("/v1/products", headers=account.headers).json["data"]) == 1


# A process that dies mid-request leaves its key reserved without an answer: these rows are what
# it leaves, written as it would have (the reservation, and the change's note when it committed).
def _left_by_a_dead_request(app, account, key, body, *, seconds_ago, change_committed):
    with app.test_request_context("/v1/products", method="POST", json=body):
        fingerprint = _fingerprint()
    with app.app_context(), write_transaction() as session:
        session.add(IdempotencyRecord(
            tenant_id=account.tenant_id, key=key, request_fingerprint=fingerprint,
            change_committed=change_committed,
            created_at=utcnow() - timedelta(seconds=seconds_ago)))


def test_a_key_left_by_a_request_that_died_before_its_change_is_taken_over(api, app, account):
    lease = app.config["MH_SETTINGS"].idempotency_lease_seconds
    _left_by_a_dead_request(app, account, "died-early", PRODUCT, seconds_ago=lease + 1,
                            change_committed=False)

    retried = api.post("/v1/products", json=PRODUCT, headers={"Idempotency-Key": "died-early"})
    replayed = api.post("/v1/products", json=PRODUCT, headers={"Idempotency-Key": "died-early"})

    assert retried.status_code == 201
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.json == retried.json
    assert len(api.get("/v1/products").json["data"]) == 1


def test_within_the_lease_the_key_is_still_in_progress(api, app, account):
    _left_by_a_dead_request(app, account, "maybe-running", PRODUCT, seconds_ago=1,
                            change_committed=False)

    response = api.post("/v1/products", json=PRODUCT, headers={"Idempotency-Key": "maybe-running"})

    assert response.status_code == 409
    assert error_code(response) == "idempotency_key_in_progress"
    assert api.get("/v1/products").json["data"] == []


def test_a_key_whose_change_committed_without_an_answer_is_never_run_again(api, app, account):
    lease = app.config["MH_SETTINGS"].idempotency_lease_seconds
    _left_by_a_dead_request(app, account, "died-late", PRODUCT, seconds_ago=lease + 1,
                            change_committed=True)

    response = api.post("/v1/products", json=PRODUCT, headers={"Idempotency-Key": "died-late"})

    assert response.status_code == 409
    assert error_code(response) == "idempotency_key_answer_lost"
    assert api.get("/v1/products").json["data"] == []  # no second product


def test_a_change_notes_on_its_key_that_it_committed(api, app, account):
    api.post("/v1/products", json=PRODUCT, headers={"Idempotency-Key": "noted"})
    api.post("/v1/products", json={"sku": "x"}, headers={"Idempotency-Key": "refused"})

    with app.app_context():
        records = {r.key: r for r in db.session.execute(select(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == account.tenant_id)).scalars()}

    assert records["noted"].change_committed and records["noted"].response_status == 201
    assert "refused" not in records  # refused before any change: the key is free again
