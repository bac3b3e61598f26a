from marshmallow import fields, validate

from ..schema import Schema

from ..common import ListArgs
from ..customers.schemas import CustomerSummarySchema
from ..fields import Metadata, Money, Quantity, Text

STATUSES = ("pending", "paid", "invoiced", "shipped", "delivered", "cancelled")


class OrderItemSchema(Schema):
    id = fields.String(dump_only=True)
    product_id = Text(required=True, min_length=1, max_length=40,
                      metadata={"example": "prod_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    sku = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    quantity = Quantity(minimum=1, maximum=100_000, required=True, metadata={"example": 2})
    unit_price = Money(metadata={"example": "99.90",
                                 "description": "Defaults to the product's current price."})
    total = Money(dump_only=True, metadata={"example": "199.80"})


class StatusChangeSchema(Schema):
    status = fields.String()
    at = fields.String()


class OrderSchema(Schema):
    id = fields.String(dump_only=True, metadata={"example": "ord_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    object = fields.Constant("order", dump_only=True)
    status = fields.String(dump_only=True, metadata={"example": "pending"})
    customer_id = Text(required=True, load_only=True, min_length=1, max_length=40)
    customer = fields.Nested(CustomerSummarySchema, dump_only=True)
    channel = Text(max_length=40, min_length=1, metadata={
        "example": "mercado_livre", "description": "Sales channel or marketplace."})
    external_number = Text(max_length=100, allow_none=True, metadata={
        "example": "2000009876543210",
        "description": "The order's number on the channel; unique per channel."})
    items = fields.List(fields.Nested(OrderItemSchema), required=True,
                        validate=validate.Length(1, 500))
    currency = fields.Constant("BRL", dump_only=True)
    items_total = Money(dump_only=True)
    shipping_total = Money(metadata={"example": "15.00"})
    discount_total = Money(metadata={"example": "0.00"})
    total = Money(dump_only=True, metadata={"example": "214.80"})
    tracking_code = fields.String(dump_only=True)
    notes = Text(max_length=2000, allow_none=True, strip=False)
    metadata = Metadata(attribute="metadata_")
    status_history = fields.List(fields.Nested(StatusChangeSchema), dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class OrderUpdateSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "pending → paid → invoiced → shipped → delivered; cancelled before "
                       "shipping."})
    tracking_code = Text(max_length=100, allow_none=True)
    notes = Text(max_length=2000, allow_none=True, strip=False)
    metadata = Metadata(attribute="metadata_")


class OrderListArgs(ListArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    customer_id = Text(max_length=40)
    channel = Text(max_length=40)
    external_number = Text(max_length=100)
