"""Products and their stock."""
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .types import JSONType, Money, UTCDateTime


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        # SKUs are unique among a tenant's live products; a deleted product frees its SKU.
        Index("uq_products_tenant_sku_live", "tenant_id", "sku", unique=True,
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
        Index("ix_products_tenant_updated", "tenant_id", "updated_at"),
        Index("ix_products_tenant_id", "tenant_id", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("prod"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    sku: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Money())
    cost: Mapped[Decimal | None] = mapped_column(Money())
    gtin: Mapped[str | None] = mapped_column(String(14))
    ncm: Mapped[str | None] = mapped_column(String(8))
    brand: Mapped[str | None] = mapped_column(String(120))
    weight_kg: Mapped[Decimal | None] = mapped_column(Money(12, 3))
    height_cm: Mapped[Decimal | None] = mapped_column(Money(10, 2))
    width_cm: Mapped[Decimal | None] = mapped_column(Money(10, 2))
    length_cm: Mapped[Decimal | None] = mapped_column(Money(10, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    metadata_: Mapped[dict] = mapped_column("metadata", JSONType, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)

    inventory: Mapped["InventoryItem"] = relationship(back_populates="product", uselist=False,
                                                      lazy="joined")


class InventoryItem(db.Model):
    """Stock of one product. Quantity never goes below zero (checked here and in services)."""

    __tablename__ = "inventory_items"
    __table_args__ = (Index("ix_inventory_tenant_updated", "tenant_id", "updated_at"),)

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=0)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    product: Mapped[Product] = relationship(back_populates="inventory", lazy="joined")

    @property
    def is_low(self) -> bool:
        return self.quantity <= self.low_stock_threshold
