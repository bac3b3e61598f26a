from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..ids import new_id
from .customer import Customer
from .types import JSONType, Money, UTCDateTime


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        # A marketplace order imported twice is the same order.
        Index("uq_orders_tenant_channel_external", "tenant_id", "channel", "external_number",
              unique=True, sqlite_where=text("external_number IS NOT NULL"),
              postgresql_where=text("external_number IS NOT NULL")),
        Index("ix_orders_tenant_updated", "tenant_id", "updated_at"),
        Index("ix_orders_tenant_id", "tenant_id", "id"),
        Index("ix_orders_tenant_customer", "tenant_id", "customer_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ord"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    channel: Mapped[str] = mapped_column(String(40), default="direct")
    external_number: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    items_total: Mapped[Decimal] = mapped_column(Money())
    shipping_total: Mapped[Decimal] = mapped_column(Money())
    discount_total: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    tracking_code: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict] = mapped_column("metadata", JSONType, default=dict)
    status_history: Mapped[list] = mapped_column(JSONType, default=list)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    customer: Mapped[Customer] = relationship(lazy="joined")
    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", lazy="selectin", order_by="OrderItem.position",
        cascade="all, delete-orphan")


class OrderItem(db.Model):
    """A line of an order; keeps the product's SKU and name as they were when ordered."""

    __tablename__ = "order_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("oli"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())

    order: Mapped[Order] = relationship(back_populates="items")
