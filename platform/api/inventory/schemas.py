from marshmallow import ValidationError, fields, validates_schema

from ..schema import Schema

from ..common import ListArgs
from ..fields import Quantity, Text


class InventorySchema(Schema):
    object = fields.Constant("inventory_item")
    product_id = fields.String()
    sku = fields.String(attribute="product.sku")
    quantity = fields.Integer()
    low_stock_threshold = fields.Integer()
    low_stock = fields.Boolean(attribute="is_low")
    updated_at = fields.AwareDateTime()


class InventoryUpdateSchema(Schema):
    quantity = Quantity(metadata={"description": "The new absolute quantity (0 or more)."})
    adjustment = Quantity(minimum=-1_000_000_000, metadata={
        "description": "Add (or subtract, if negative) this many units, atomically. "
                       "Use instead of `quantity` when several writers change the same stock."})
    low_stock_threshold = Quantity(metadata={
        "description": "`inventory.low_stock_alert` fires when quantity falls to this or below."})

    @validates_schema
    def _one_of(self, data, **kwargs):
        if "quantity" in data and "adjustment" in data:
            raise ValidationError("Send either quantity or adjustment, not both.", "adjustment")
        if not data:
            raise ValidationError(
                "Send quantity, adjustment or low_stock_threshold.", "quantity")


class InventoryListArgs(ListArgs):
    sku = Text(max_length=100)
    low_stock = fields.Boolean(metadata={"description": "Only items at or below their threshold."})
