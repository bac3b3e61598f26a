"""The API's schemas dump real rows exactly as marshmallow itself would (see api/schema.py)."""
from __future__ import annotations

from marshmallow import Schema as MarshmallowSchema

from markethub.platform.api.customers.schemas import CustomerSchema
from markethub.platform.api.orders.schemas import OrderSchema
from markethub.platform.api.products.schemas import ProductSchema
from markethub.platform.extensions import db
from markethub.platform.models import Customer, Order, Product
from markethub.platform.services import products


def test_the_api_schemas_dump_like_marshmallow(app, api, account, make_customer, make_order):
    """Every API representation of a real order, its product and customer, both ways."""
    product = api.post("/v1/products", json={
        "sku": "FULL-1", "name": "Completo", "price": "10.00", "cost": "4.35",
        "gtin": "7891234567895", "ncm": "61091000", "brand": "Marca", "weight_kg": "0.250",
        "dimensions": {"height_cm": "10", "width_cm": "5.5", "length_cm": None},
        "metadata": {"origem": "teste"}}).json
    customer = make_customer(document="529.982.247-25", phone="(81) 99999-0000")
    order = make_order(customer_id=customer["id"],
                       items=[{"product_id": product["id"], "quantity": 2}])
    with app.app_context():
        principal = account.principal()
        cases = [(ProductSchema(), db.session.get(Product, product["id"])),
                 (ProductSchema(), products.get_product(principal, product["id"])),
                 (OrderSchema(), db.session.get(Order, order["id"])),
                 (CustomerSchema(), db.session.get(Customer, customer["id"]))]
        for schema, obj in cases:
            assert schema._plan() is not None, "takes the planned path, not marshmallow's"
            assert schema.dump(obj) == MarshmallowSchema.dump(schema, obj), type(schema).__name__
        assert ProductSchema().dump(cases[1][1])["dimensions"] == {
            "height_cm": "10.00", "width_cm": "5.50", "length_cm": None}
