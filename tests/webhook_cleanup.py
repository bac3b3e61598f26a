"""Shared by the webhook tests: leave nothing behind for another test's delivery loop."""
from sqlalchemy import update

from markethub.platform.db import write_transaction
from markethub.platform.extensions import db
from markethub.platform.models import WebhookDelivery, WebhookEndpoint


def quiesce(app) -> None:
    """Stop every enabled endpoint and fail every pending delivery the tests left."""
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(WebhookDelivery).where(WebhookDelivery.status == "pending")
                            .values(status="failed", next_attempt_at=None, last_error="test over"))
            session.execute(update(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))
                            .values(enabled=False, disabled_reason="test over"))
        db.session.remove()
