"""Representations built without marshmallow's own dump must equal it: the planned Schema.dump
(api/schema.py) and the hand-written product representation (api/products/representation.py)."""
from __future__ import annotations

from marshmallow import Schema as MarshmallowSchema

from markethub.platform.api.common import list_schema
from markethub.platform.api.customers.schemas import CustomerSchema
from markethub.platform.api.orders.schemas import OrderSchema
from markethub.platform.api.products.representation import COLUMNS, product_json
from markethub.platform.api.products.schemas import ProductSchema
from markethub.platform.extensions import db
from markethub.platform.models import Customer, Order, Product
from markethub.platform.services import products

FULL_PRODUCT = {
    "sku": "FULL-1", "name": "Completo", "description": "Descrição\nlonga", "price": "10.00",
    "cost": "4.35", "gtin": "7891234567895", "ncm": "61091000", "brand": "Marca",
    "weight_kg": "0.250", "dimensions": {"height_cm": "10", "width_cm": "5.5", "length_cm": None},
    "metadata": {"origem": "teste", "lote": "42"}, "active": False}


def test_the_api_schemas_dump_like_marshmallow(app, api, account, make_customer, make_order):
    """Every API representation of a real order, its product and customer, both ways."""
    product = api.post("/v1/products", json=FULL_PRODUCT).json
    customer = make_customer(document="529.982.247-25", phone="(81) 99999-0000")
    order = make_order(customer_id=customer["id"],
                       items=[{"product_id": product["id"], "quantity": 2}])
    with app.app_context():
        cases = [(ProductSchema(), db.session.get(Product, product["id"])),
                 (OrderSchema(), db.session.get(Order, order["id"])),
                 (CustomerSchema(), db.session.get(Customer, customer["id"]))]
        for schema, obj in cases:
            assert schema._plan() is not None, "takes the planned path, not marshmallow's"
            assert schema.dump(obj) == MarshmallowSchema.dump(schema, obj), type(schema).__name__


def test_product_rows_are_represented_as_the_schema_dumps_products(app, api, account,
                                                                    make_product):
    assert tuple(column.key for column in products._VIEW.selected_columns) == COLUMNS
    full = api.post("/v1/products", json=FULL_PRODUCT).json
    sparse = make_product()
    stocked = make_product(price="1234567.8")
    assert api.put(f"/v1/inventory/{stocked['id']}",
                   json={"quantity": 7, "low_stock_threshold": 2}).status_code == 200
    ids = [full["id"], sparse["id"], stocked["id"]]
    answered = [api.get(f"/v1/products/{product_id}").json for product_id in ids]
    page = api.get("/v1/products?limit=2").json
    with app.app_context():
        for product_id, answer in zip(ids, answered, strict=True):
            expected = ProductSchema().dump(db.session.get(Product, product_id))
            row = products.get_product(account.principal(), product_id)
            assert product_json(row) == expected
            assert answer == expected
        assert expected["inventory"] == {"quantity": 7, "low_stock_threshold": 2}

        newest = [db.session.get(Product, stocked["id"]), db.session.get(Product, sparse["id"])]
        assert page == list_schema(ProductSchema)().dump(
            {"data": newest, "has_more": True, "next_cursor": sparse["id"]})
