"""Pulled products (and their stock) into our catalogue, through the product and inventory
services: matched by stored external id, then by SKU; unchanged records are not written; new
products and stock levels go in bulk (one statement per kind and page, the same events)."""
from __future__ import annotations

from dataclasses import dataclass, field
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
_SCHEMA = ProductSchema()  # loading is stateless: one instance serves every record


def sku_of(scope: SyncScope, record: dict) -> str:
    """Our SKU for an ERP product; one without a code gets a stable stand-in."""
    return record.get("sku") or f"{scope.provider}-{record['external_id']}"


@dataclass
class _Page:
    """What one page decided: products to create, stock to set, refs to write."""
    scope: SyncScope
    outcome: PageOutcome = field(default_factory=PageOutcome)
    new: list = field(default_factory=list)  # (record, data)
    stock: dict = field(default_factory=dict)  # product id -> (record, quantity)
    refs: list = field(default_factory=list)


def apply(scope: SyncScope, records: list[dict]) -> PageOutcome:
    page = _Page(scope)
    found = refs.by_external(scope.integration_id, "product", [r["external_id"] for r in records])
    by_id, by_sku = _live(scope, [ref.local_id for ref in found.values()],
                          [sku_of(scope, r) for r in records])
    # Which ERP product each of our products is linked to (stored, and claimed on this page).
    owners = {local_id: ref.external_id for local_id, ref in refs.by_local(
        scope.integration_id, "product", [p.id for p in by_sku.values()]).items()}
    for record in records:
        try:
            _plan(page, record, found.get(record["external_id"]), by_id, by_sku, owners)
        except AppError as error:
            page.outcome.fail("product", record["external_id"], error)
    _create(page)
    failed_stock = _set_stock(page)
    refs.save(scope.tenant_id, scope.integration_id, "product",
              [_keep_retrying(ref, failed_stock) for ref in page.refs
               if found.get(ref.external_id) != ref or ref.local_id in failed_stock])
    return page.outcome


def _live(scope: SyncScope, ids: list[str], skus: list[str]):
    rows = db.session.execute(select(Product).where(
        Product.tenant_id == scope.tenant_id, Product.deleted_at.is_(None),
        or_(Product.id.in_(ids), Product.sku.in_(skus)))).unique().scalars().all()
    return {p.id: p for p in rows}, {p.sku: p for p in rows}


def _plan(page: _Page, record: dict, ref, by_id, by_sku, owners) -> None:
    external_id, sku = record["external_id"], sku_of(page.scope, record)
    stamp = refs.fingerprint(record)
    product = by_id.get(ref.local_id) if ref else None
    if product is None:
        product = by_sku.get(sku)
        other = owners.get(product.id if product is not None else ("new", sku))
        if other is not None and other != external_id:
            raise ConflictError(f"SKU {sku} is also used by ERP product {other}; SKUs must be "
                                "unique for products to be matched.",
                                code="duplicate_sku_in_erp",
                                fields={"sku": ["Used by two ERP products."]})
    if product is not None and ref is not None and ref.local_id == product.id \
            and ref.fingerprint == stamp:
        page.outcome.count("product", "unchanged")
        return
    data = checked(_SCHEMA, {"sku": sku, **{name: record.get(name) for name in _FIELDS}})
    if product is None:
        owners[("new", sku)] = external_id
        page.new.append((record, data))
        return
    before, current = product.updated_at, product.inventory.quantity
    after = products.update_product(page.scope.principal, product.id, data).updated_at
    page.outcome.count("product", "updated" if after != before else "unchanged")
    owners[product.id] = external_id
    _note_stock(page, product.id, record, current)
    page.refs.append(refs.Ref(product.id, external_id, stamp))


def _create(page: _Page) -> None:
    if not page.new:
        return
    made = products.create_products(page.scope.principal, [data for _, data in page.new])
    for (record, _), answer in zip(page.new, made, strict=True):
        if isinstance(answer, AppError):
            page.outcome.fail("product", record["external_id"], answer)
            continue
        page.outcome.count("product", "created")
        _note_stock(page, answer.id, record, 0)
        page.refs.append(refs.Ref(answer.id, record["external_id"], refs.fingerprint(record)))


def _note_stock(page: _Page, product_id: str, record: dict, current: int) -> None:
    if record.get("stock") is None:  # this ERP's listing does not carry stock
        return
    try:
        quantity = _units(Decimal(record["stock"]))
    except AppError as error:
        page.outcome.fail("inventory", record["external_id"], error)
        page.stock[product_id] = (record, None)
        return
    if quantity == current:
        page.outcome.count("inventory", "unchanged")
    else:
        page.stock[product_id] = (record, quantity)


def _set_stock(page: _Page) -> set[str]:
    """Set the stock levels; returns the products whose stock was refused."""
    failed = {product_id for product_id, (_, quantity) in page.stock.items() if quantity is None}
    wanted = {product_id: quantity for product_id, (_, quantity) in page.stock.items()
              if quantity is not None}
    if not wanted:
        return failed
    for product_id, answer in inventory.set_quantities(page.scope.principal, wanted).items():
        if isinstance(answer, AppError):
            page.outcome.fail("inventory", page.stock[product_id][0]["external_id"], answer)
            failed.add(product_id)
        else:
            page.outcome.count("inventory", "updated")
    return failed


def _keep_retrying(ref: refs.Ref, failed_stock: set[str]) -> refs.Ref:
    """A refused stock keeps no fingerprint, so the next pull of this record retries it."""
    return refs.Ref(ref.local_id, ref.external_id, None) if ref.local_id in failed_stock else ref


def _units(amount: Decimal) -> int:
    if amount != amount.to_integral_value():
        raise ValidationError(f"The ERP holds {amount} in stock; MarketHub counts whole units.",
                              code="fractional_stock", fields={"stock": ["Not a whole number."]})
    if amount < 0:
        raise ValidationError(f"The ERP holds {amount} in stock; MarketHub keeps stock at zero "
                              "or more.", code="negative_stock",
                              fields={"stock": ["Below zero."]})
    return int(amount)
