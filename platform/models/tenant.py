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
