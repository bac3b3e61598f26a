"""What the hot paths say to the database: GETs without a transaction on PostgreSQL, writes in
one, and a created order answered from what was written rather than read back."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from markethub.platform.db import autocommit_reads, write_transaction
from markethub.platform.extensions import db
from markethub.platform.models import Customer


@contextmanager
def statements(app):
    """(statement, isolation level asked for) for every statement the app runs meanwhile."""
    seen = []

    def record(connection, cursor, statement, parameters, context, executemany):
        seen.append((statement.split()[0].upper(),
                     connection.get_execution_options().get("isolation_level")))

    def committed(connection):
        seen.append(("COMMIT", None))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", committed)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "commit", committed)


def test_a_get_reads_in_autocommit_on_postgresql(app, api, make_product, settings):
    if settings.is_sqlite:
        pytest.skip("SQLite keeps its read transactions")
    product = make_product()
    with statements(app) as seen:
        assert api.get(f"/v1/products/{product['id']}").status_code == 200

    assert seen and all(level == "AUTOCOMMIT" for verb, level in seen if verb == "SELECT")


def test_a_write_after_autocommit_reads_is_still_one_transaction(app, account):
    with app.test_request_context():
        autocommit_reads()
        db.session.execute(select(Customer.id)).all()
        with pytest.raises(RuntimeError):
            with write_transaction() as session:
                session.add(Customer(tenant_id=account.tenant_id, name="Parcial",
                                     metadata_={}))
                session.flush()
                raise RuntimeError("fails after the INSERT")
        assert db.session.execute(select(Customer).where(
            Customer.name == "Parcial")).first() is None


def test_a_created_order_is_answered_without_reading_it_back(app, api, make_product,
                                                              make_customer):
    body = {"customer_id": make_customer()["id"],
            "items": [{"product_id": make_product()["id"], "quantity": 2}]}
    with statements(app) as seen:
        response = api.post("/v1/orders", json=body)

    assert response.status_code == 201
    assert response.json["total"] == "199.80"
    verbs = [verb for verb, _ in seen]
    assert verbs.count("COMMIT") == 1
    assert "SELECT" not in verbs[verbs.index("COMMIT"):]


def test_an_idempotency_key_costs_three_statements_and_no_transaction_of_its_own(
        app, api, make_product, make_customer, settings):
    if settings.is_sqlite:
        pytest.skip("SQLite runs each of them in a transaction")
    body = {"customer_id": make_customer()["id"],
            "items": [{"product_id": make_product()["id"], "quantity": 2}]}
    with statements(app) as bare:
        assert api.post("/v1/orders", json=body).status_code == 201
    with statements(app) as keyed:
        assert api.post("/v1/orders", json=body,
                        headers={"Idempotency-Key": "three"}).status_code == 201
    with statements(app) as replayed:
        assert api.post("/v1/orders", json=body,
                        headers={"Idempotency-Key": "three"}).status_code == 201

    authenticated = 1  # the API key's SELECT comes first
    key_statements = keyed[authenticated:authenticated + 1] + keyed[-1:]
    assert len(keyed) == len(bare) + 3  # the reservation, the answer, and the change's note
    assert [verb for verb, _ in key_statements] == ["INSERT", "UPDATE"]
    assert all(level == "AUTOCOMMIT" for _, level in key_statements)
    assert keyed.index(("UPDATE", None)) < keyed.index(("COMMIT", None))  # with the change
    assert [verb for verb, _ in replayed[authenticated:]] == ["INSERT", "SELECT"]
    assert all(level == "AUTOCOMMIT" for _, level in replayed)  # no transaction to roll back


def test_postgresql_sessions_are_in_utc(app, settings):
    """Instants come back in UTC whatever the server's zone (and as the cheap timezone.utc)."""
    if settings.is_sqlite:
        pytest.skip("SQLite has no session time zone")
    from datetime import timezone

    from sqlalchemy import text

    with app.app_context():
        assert db.session.execute(text("SHOW TimeZone")).scalar() == "UTC"
        assert db.session.execute(text("SELECT now()")).scalar().tzinfo is timezone.utc
