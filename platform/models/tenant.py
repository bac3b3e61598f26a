from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import UTCDateTime

PLANS = ("starter", "professional", "business", "enterprise")


class Tenant(db.Model):
    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ten"))
    name: Mapped[str] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(String(20), default="starter")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class HubUser(db.Model):
    """A person who logs in to the hub; belongs to one tenant."""

    __tablename__ = "hub_users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("usr"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_login_at = mapped_column(UTCDateTime, nullable=True)


class HubSession(db.Model):
    """One sign-in to the hub. The cookie carries only its id: signing out ends it here, so a
    copied cookie stops working too, and it ends by itself `hub_session_hours` after sign-in."""

    __tablename__ = "hub_sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("hss"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("hub_users.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False, index=True)
    ended_at = mapped_column(UTCDateTime, nullable=True)
