"""Pulled products (and their stock) into our catalogue, through the product and inventory
services: matched by stored external id, then by SKU; unchanged records are not written."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select

from ..api.products.schemas import ProductSchema
from ..errors import AppError, ConflictError, ValidationError
from ..extensions import db
from ..models import Product
from ..services import inventory, products
from . import refs
from .outcome import PageOutcome, SyncScope, checked

_FIELDS = ("name", "description", "price", "cost", "gtin", "ncm", "brand", "active")


def sku_of(scope: SyncScope, record: dict) -> str:
    """Our SKU for an ERP product; one without a code gets a stable stand-in."""
    return record.get("sku") or f"{scope.provider}-{record['external_id']}"


def apply(scope: SyncScope, records: list[dict]) -> PageOutcome:
    outcome = PageOutcome()
    found = refs.by_external(scope.integration_id, "product", [r["external_id"] for r in records])
    by_id, by_sku = _live(scope, [ref.local_id for ref in found.values()],
                          [sku_of(scope, r) for r in records])
    # Which ERP product each of our products is linked to (stored, and made on this page).
    owners = {local_id: ref.external_id for local_id, ref in refs.by_local(
        scope.integration_id, "product", [p.id for p in by_sku.values()]).items()}
    new_refs = []
    for record in records:
        external_id = record["external_id"]
        try:
            ref = _apply_one(scope, record, found.get(external_id), by_id, by_sku, owners,
                             outcome)
        except AppError as error:
            outcome.fail("product", external_id, error)
            continue
        owners[ref.local_id] = external_id
        new_refs.append(ref)
    refs.save(scope.tenant_id, scope.integration_id, "product",
              [ref for ref in new_refs if found.get(ref.external_id) != ref])
    return outcome


def _live(scope: SyncScope, ids: list[str], skus: list[str]):
    rows = db.session.execute(select(Product).where(
        Product.tenant_id == scope.tenant_id, Product.deleted_at.is_(None),
        or_(Product.id.in_(ids), Product.sku.in_(skus)))).unique().scalars().all()
    return {p.id: p for p in rows}, {p.sku: p for p in rows}


def _match(scope, record, ref, by_id, by_sku, owners) -> Product | None:
    """Ours for this ERP product: the linked one, else the one with its SKU — unless that one
    is linked to another ERP product (the ERP has the SKU twice)."""
    product = by_id.get(ref.local_id) if ref else None
    if product is not None:
        return product
    sku = sku_of(scope, record)
    product = by_sku.get(sku)
    other = owners.get(product.id) if product is not None else None
    if other is not None and other != record["external_id"]:
        raise ConflictError(f"SKU {sku} is also used by ERP product {other}; SKUs must be "
                            "unique for products to be matched.", code="duplicate_sku_in_erp",
                            fields={"sku": ["Used by two ERP products."]})
    return product


def _apply_one(scope, record, ref, by_id, by_sku, owners, outcome) -> refs.Ref:
    external_id, sku = record["external_id"], sku_of(scope, record)
    stamp = refs.fingerprint(record)
    product = _match(scope, record, ref, by_id, by_sku, owners)
    if product is not None and ref is not None and ref.local_id == product.id \
            and ref.fingerprint == stamp:
        outcome.count("product", "unchanged")
        return ref
    data = checked(ProductSchema(), {"sku": sku, **{name: record.get(name) for name in _FIELDS}})
    if product is None:
        product = products.create_product(scope.principal, data)
        by_sku[sku] = product  # a twin later on this page must find it
        product_id, quantity = product.id, 0
        outcome.count("product", "created")
    else:
        product_id, quantity = product.id, product.inventory.quantity
        before = product.updated_at
        after = products.update_product(scope.principal, product_id, data).updated_at
        outcome.count("product", "updated" if after != before else "unchanged")
    stock_ok = _apply_stock(scope, product_id, external_id, record.get("stock"), quantity,
                            outcome)
    # A refused stock keeps no fingerprint, so the next pull of this record retries it.
    return refs.Ref(product_id, external_id, stamp if stock_ok else None)


def _apply_stock(scope: SyncScope, product_id: str, external_id: str, stock: str | None,
                 current: int, outcome: PageOutcome) -> bool:
    if stock is None:  # this ERP's listing does not carry stock
        return True
    amount = Decimal(stock)
    try:
        quantity = _units(amount)
        if quantity == current:
            outcome.count("inventory", "unchanged")
            return True
        inventory.update_stock(scope.principal, product_id, {"quantity": quantity})
    except AppError as error:
        outcome.fail("inventory", external_id, error)
        return False
    outcome.count("inventory", "updated")
    return True


def _units(amount: Decimal) -> int:
    if amount != amount.to_integral_value():
        raise ValidationError(f"The ERP holds {amount} in stock; MarketHub counts whole units.",
                              code="fractional_stock", fields={"stock": ["Not a whole number."]})
    if amount < 0:
        raise ValidationError(f"The ERP holds {amount} in stock; MarketHub keeps stock at zero "
                              "or more.", code="negative_stock",
                              fields={"stock": ["Below zero."]})
    return int(amount)
