"""Hub sign-ins kept server-side: the cookie holds a session id, and ending the session here ends
it everywhere, a copied cookie included (a signed cookie alone cannot be taken back)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from ..db import utcnow, write_transaction
from ..extensions import db
from ..models import HubSession, HubUser


def sign_in(email: str, password: str, hours: int) -> tuple[HubUser, str] | None:
    """The user and a new session id, or None when the email or the password is wrong."""
    user = db.session.execute(select(HubUser).where(
        func.lower(HubUser.email) == email.strip().lower())).scalar()
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    now = utcnow()
    with write_transaction() as session:
        session.get(HubUser, user.id).last_login_at = now
        hub_session = HubSession(tenant_id=user.tenant_id, user_id=user.id, created_at=now,
                                 expires_at=now + timedelta(hours=hours))
        session.add(hub_session)
    return user, hub_session.id


def signed_in_user(session_id: str) -> HubUser | None:
    """The session's user while the session is neither ended nor expired."""
    return db.session.execute(select(HubUser).join(HubSession, HubSession.user_id == HubUser.id)
                              .where(HubSession.id == session_id, HubSession.ended_at.is_(None),
                                     HubSession.expires_at > utcnow())).scalar()


def sign_out(session_id: str) -> None:
    with write_transaction() as session:
        session.execute(update(HubSession).where(
            HubSession.id == session_id, HubSession.ended_at.is_(None)).values(ended_at=utcnow()))
