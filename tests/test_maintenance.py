from datetime import timedelta

from sqlalchemy import select

from markethub.platform.db import utcnow, write_transaction
from markethub.platform.events.sweeper import Sweeper
from markethub.platform.extensions import db
from markethub.platform.ids import first_id_at, new_id
from markethub.platform.models import (Event, HubSession, HubUser, IdempotencyRecord,
                                       WebhookAttempt, WebhookDelivery, WebhookEndpoint)
from markethub.platform.services import accounts
from markethub.platform.services.maintenance import purge_expired, purge_old_events


def test_purge_deletes_only_idempotency_keys_past_their_ttl(app, account):
    with app.app_context():
        with write_transaction() as session:
            session.add_all([
                IdempotencyRecord(tenant_id=account.tenant_id, key="old", request_fingerprint="x",
                                  created_at=utcnow() - timedelta(hours=25)),
                IdempotencyRecord(tenant_id=account.tenant_id, key="new", request_fingerprint="x",
                                  created_at=utcnow() - timedelta(hours=23)),
            ])
        purge_expired(idempotency_ttl_hours=24)
        kept = db.session.execute(select(IdempotencyRecord.key).where(
            IdempotencyRecord.tenant_id == account.tenant_id)).scalars().all()
    assert kept == ["new"]


def _keys(app, tenant_id) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(select(IdempotencyRecord.key).where(
            IdempotencyRecord.tenant_id == tenant_id)).scalars())


def _old_key(app, tenant_id, key) -> None:
    with app.app_context(), write_transaction() as session:
        session.add(IdempotencyRecord(tenant_id=tenant_id, key=key, request_fingerprint="x",
                                      created_at=utcnow() - timedelta(hours=25)))


def test_purge_deletes_hub_sessions_over_for_a_day(app, account):
    now = utcnow()
    with app.app_context():
        user = accounts.create_hub_user(account.tenant_id, f"purge-{account.tenant_id}@x.example",
                                        "senha-bem-longa", "Ana")
        ages = {"expired_2d": (now - timedelta(days=2), None),
                "ended_2d": (now + timedelta(hours=1), now - timedelta(days=2)),
                "expired_1h": (now - timedelta(hours=1), None),
                "ended_1h": (now + timedelta(hours=1), now - timedelta(hours=1)),
                "live": (now + timedelta(hours=1), None)}
        with write_transaction() as session:
            session.add_all(
                HubSession(id=f"hss_{name}_{user.id[-12:]}", tenant_id=account.tenant_id,
                           user_id=user.id, expires_at=expires, ended_at=ended)
                for name, (expires, ended) in ages.items())
        purge_expired(idempotency_ttl_hours=24)
        kept = db.session.execute(select(HubSession.id).join(HubUser).where(
            HubUser.id == user.id)).scalars().all()
    assert sorted(kept) == sorted(f"hss_{name}_{user.id[-12:]}"
                                  for name in ("expired_1h", "ended_1h", "live"))


def test_the_sweeper_housekeeps_at_start_then_once_per_interval(app, account):
    sweeper = Sweeper(app)  # not started: its steps are called here one by one
    _old_key(app, account.tenant_id, "first")

    sweeper.housekeep_if_due()  # due at start
    _old_key(app, account.tenant_id, "second")
    sweeper.housekeep_if_due()  # not due again within the interval
    kept_within_the_interval = _keys(app, account.tenant_id)
    sweeper.next_housekeeping = 0  # the interval has passed
    sweeper.housekeep_if_due()

    assert kept_within_the_interval == ["second"]
    assert _keys(app, account.tenant_id) == []


def test_events_past_their_retention_go_with_their_deliveries_unless_still_to_deliver(
        app, account):
    now = utcnow()
    old = now - timedelta(days=31)
    with app.app_context():
        with write_transaction() as session:
            endpoint = WebhookEndpoint(tenant_id=account.tenant_id, url="https://x.example/h",
                                       secret_sealed="sealed")
            session.add(endpoint)
            session.flush()
            events = {}  # name -> (made at, dispatched, its delivery's status or None)
            cases = {"delivered": (old, True, "succeeded"), "gave_up": (old, True, "failed"),
                     "no_subscriber": (old, True, None), "retrying": (old, True, "pending"),
                     "not_dispatched": (old, False, None), "recent": (now, True, "succeeded")}
            for offset, (name, (made, dispatched, status)) in enumerate(cases.items()):
                event_id = (first_id_at("evt", made + timedelta(milliseconds=offset))
                            if made is old else new_id("evt"))
                events[name] = event_id
                session.add(Event(id=event_id, tenant_id=account.tenant_id, type="order.created",
                                  data={}, created_at=made,
                                  dispatched_at=made if dispatched else None))
                if status:
                    delivery_id = new_id("dlv")
                    session.add(WebhookDelivery(
                        id=delivery_id, tenant_id=account.tenant_id, endpoint_id=endpoint.id,
                        event_id=event_id, event_type="order.created", status=status))
                    session.add(WebhookAttempt(
                        tenant_id=account.tenant_id, delivery_id=delivery_id,
                        endpoint_id=endpoint.id, attempt_number=1, started_at=made,
                        url=endpoint.url, request_body="{}"))
        deleted = purge_old_events(retention_days=30)
        kept = set(db.session.execute(select(Event.id).where(
            Event.tenant_id == account.tenant_id)).scalars())
        attempts_left = db.session.execute(select(WebhookAttempt.delivery_id).join(
            WebhookDelivery).where(WebhookDelivery.tenant_id == account.tenant_id)).all()

    assert kept == {events[name] for name in ("retrying", "not_dispatched", "recent")}
    assert len(attempts_left) == 2  # the retrying and the recent deliveries'
    assert deleted["events"] >= 3 and deleted["webhook_deliveries"] >= 2
