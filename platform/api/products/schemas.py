from marshmallow import fields

from ..common import ListArgs
from ..fields import Gtin, Inline, Metadata, Money, Ncm, Text
from ..schema import Schema


class DimensionsSchema(Schema):
    height_cm = Money(allow_none=True, maximum=100000)
    width_cm = Money(allow_none=True, maximum=100000)
    length_cm = Money(allow_none=True, maximum=100000)


class ProductSchema(Schema):
    id = fields.String(dump_only=True, metadata={"example": "prod_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    object = fields.Constant("product", dump_only=True)
    sku = Text(required=True, min_length=1, max_length=100, metadata={"example": "CAM-AZ-P"})
    name = Text(required=True, min_length=1, max_length=255,
                metadata={"example": "Camiseta Algodão Azul P"})
    description = Text(max_length=5000, allow_none=True, strip=False)
    price = Money(required=True, metadata={"example": "99.90"})
    cost = Money(allow_none=True, metadata={"example": "41.50"})
    gtin = Gtin(allow_none=True, metadata={"example": "7891234567895"})
    ncm = Ncm(allow_none=True, metadata={"example": "61091000"})
    brand = Text(max_length=120, allow_none=True)
    weight_kg = Money(places=3, allow_none=True, maximum=100000, metadata={"example": "0.250"})
    dimensions = Inline(DimensionsSchema, allow_none=True)  # height_cm, … are product columns
    active = fields.Boolean()
    metadata = Metadata(attribute="metadata_")
    inventory = fields.Method("_inventory", dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    def _inventory(self, product):
        item = product.inventory
        if item is None:
            return None
        return {"quantity": item.quantity, "low_stock_threshold": item.low_stock_threshold}


class ProductListArgs(ListArgs):
    sku = Text(max_length=100)
    q = Text(max_length=100, metadata={"description": "Search in name and SKU."})
    active = fields.Boolean()
