"""Product use cases. Each write is one transaction with its outbox events."""
from __future__ import annotations

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from ..api.products.schemas import ProductSchema
from ..auth.principal import Principal
from ..db import contains_pattern, utcnow, write_transaction
from ..errors import ConflictError, NotFoundError
from ..extensions import db
from ..models import InventoryItem, Product
from . import outbox

_DIMENSIONS = ("height_cm", "width_cm", "length_cm")


_REPRESENTATION = ProductSchema()  # one instance: its dump plan is worked out once


def represent(product: Product) -> dict:
    return _REPRESENTATION.dump(product)


def _apply(product: Product, data: dict) -> None:
    if "dimensions" in data:
        dimensions = data.pop("dimensions") or dict.fromkeys(_DIMENSIONS)
        for name in _DIMENSIONS:
            if name in dimensions:
                setattr(product, name, dimensions[name])
    for name, value in data.items():
        setattr(product, name, value)


def _sku_conflict(sku: str) -> ConflictError:
    return ConflictError(f"Another product already has SKU '{sku}'.", code="duplicate_sku",
                         fields={"sku": ["Already in use."]})


def _locked(session, principal: Principal, product_id: str) -> Product:
    product = session.execute(
        select(Product).where(Product.tenant_id == principal.tenant_id, Product.id == product_id,
                              Product.deleted_at.is_(None))
        .with_for_update(of=Product)  # not the eager-joined stock: PostgreSQL refuses that
    ).unique().scalar_one_or_none()
    if product is None:
        raise NotFoundError("product", product_id)
    return product


def _new_product(principal: Principal, data: dict) -> Product:
    data = dict(data)
    data.setdefault("active", True)
    data.setdefault("metadata_", {})
    product = Product(tenant_id=principal.tenant_id)
    _apply(product, data)
    product.inventory = InventoryItem(tenant_id=principal.tenant_id, quantity=0,
                                      low_stock_threshold=0)
    return product


def create_product(principal: Principal, data: dict) -> Product:
    product = _new_product(principal, data)
    try:
        with write_transaction(keep_loaded=True) as session:
            session.add(product)
            session.flush()
            outbox.emit(session, principal, "product.created", represent(product))
    except IntegrityError:
        raise _sku_conflict(data["sku"]) from None
    return product


def create_products(principal: Principal, items: list[dict]) -> list[Product | ConflictError]:
    """Many products in one transaction (an ERP import), each with the `product.created` event
    create_product emits. A SKU already taken (here or earlier in `items`) fails that item alone:
    the answer lists, in order, each Product or its ConflictError."""
    skus = [data["sku"] for data in items]
    with write_transaction() as session:
        taken = set(session.execute(select(Product.sku).where(
            Product.tenant_id == principal.tenant_id, Product.sku.in_(skus),
            Product.deleted_at.is_(None))).scalars())
        answers: list[Product | ConflictError] = []
        for data in items:
            if data["sku"] in taken:
                answers.append(_sku_conflict(data["sku"]))
                continue
            taken.add(data["sku"])
            answers.append(_new_product(principal, data))
        made = [answer for answer in answers if isinstance(answer, Product)]
        try:
            with session.begin_nested():
                session.add_all(made)
                session.flush()
        except IntegrityError:  # a concurrent writer took a SKU: one by one, below
            made = None
        if made is not None:
            outbox.emit_many(session, principal,
                             [("product.created", represent(product)) for product in made])
            return answers
    return [_create_or_conflict(principal, data) for data in items]


def _create_or_conflict(principal: Principal, data: dict) -> Product | ConflictError:
    try:
        return create_product(principal, data)
    except ConflictError as error:
        return error


def update_product(principal: Principal, product_id: str, data: dict) -> Product:
    try:
        with write_transaction(keep_loaded=True) as session:
            product = _locked(session, principal, product_id)
            before = represent(product)
            _apply(product, dict(data))
            session.flush()
            after = represent(product)
            if after != before:
                product.updated_at = utcnow()
                after = represent(product)
                outbox.emit(session, principal, "product.updated",
                            {**after,
                             "previous_attributes": outbox.changed_attributes(before, after)})
    except IntegrityError:
        raise _sku_conflict(data.get("sku", "")) from None
    return product


def delete_product(principal: Principal, product_id: str) -> None:
    with write_transaction() as session:
        product = _locked(session, principal, product_id)
        product.deleted_at = product.updated_at = utcnow()
        product.active = False
        outbox.emit(session, principal, "product.deleted", represent(product))


# Reads select plain columns (Core), not ORM objects: the API's hottest path is catalogue polling,
# and the identity map and eager loading cost more there than the query (bench/api_bench.py).
_products, _stock = Product.__table__, InventoryItem.__table__
_HIDDEN = {"tenant_id", "deleted_at", "metadata"}
_VIEW = select(
    *(column for column in _products.c if column.key not in _HIDDEN),
    _products.c.metadata.label("metadata_"),
    _stock.c.quantity.label("stock_quantity"),
    _stock.c.low_stock_threshold.label("stock_low_threshold"),
).outerjoin(_stock, _stock.c.product_id == _products.c.id)
ID = _products.c.id
_LIVE = _VIEW.where(_products.c.deleted_at.is_(None))
# Built once: constructing a statement and its cache key costs more than running it here.
_BY_ID = _LIVE.where(_products.c.tenant_id == bindparam("tenant_id"), ID == bindparam("id"))


def get_product(principal: Principal, product_id: str):
    """The live product as a row (the ORM Product's attributes, stock as `stock_quantity` and
    `stock_low_threshold`), for api/products/representation.py."""
    row = db.session.execute(_BY_ID, {"tenant_id": principal.tenant_id, "id": product_id}).first()
    if row is None:
        raise NotFoundError("product", product_id)
    return row


def list_statement(principal: Principal, args: dict):
    """The live products matching the list filters, as rows like get_product's."""
    statement = _LIVE.where(_products.c.tenant_id == principal.tenant_id)
    if "sku" in args:
        statement = statement.where(_products.c.sku == args["sku"])
    if "active" in args:
        statement = statement.where(_products.c.active == args["active"])
    if "updated_since" in args:
        statement = statement.where(_products.c.updated_at >= args["updated_since"])
    if args.get("q"):
        pattern = contains_pattern(args["q"])
        statement = statement.where(or_(_products.c.name.ilike(pattern, escape="\\"),
                                        _products.c.sku.ilike(pattern, escape="\\")))
    return statement
