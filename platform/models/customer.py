from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import JSONType, UTCDateTime


class Customer(db.Model):
    __tablename__ = "customers"
    __table_args__ = (
        Index("uq_customers_tenant_document", "tenant_id", "document", unique=True,
              sqlite_where=text("document IS NOT NULL"),
              postgresql_where=text("document IS NOT NULL")),
        Index("ix_customers_tenant_updated", "tenant_id", "updated_at"),
        Index("ix_customers_tenant_id", "tenant_id", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("cus"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    document: Mapped[str | None] = mapped_column(String(14))  # CPF or CNPJ, normalised
    document_type: Mapped[str | None] = mapped_column(String(4))
    address: Mapped[dict | None] = mapped_column(JSONType)
    metadata_: Mapped[dict] = mapped_column("metadata", JSONType, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
