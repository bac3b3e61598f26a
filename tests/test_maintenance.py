from datetime import timedelta

from sqlalchemy import select

from markethub.platform.db import utcnow, write_transaction
from markethub.platform.extensions import db
from markethub.platform.models import IdempotencyRecord
from markethub.platform.services.maintenance import purge_expired


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
