"""JSON Schemas (2020-12) of the resources that events carry in `data`, as the API returns them.

A test checks that the events our services really emit validate against these, so a field added
to an API schema and not here fails the build.
"""
from __future__ import annotations

DATE_TIME = {"type": "string", "format": "date-time"}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "Exact decimal, 2 places"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, **extra}


STRING = {"type": "string"}
TEXT = nullable(STRING)
METADATA = {"type": "object", "additionalProperties": {"type": "string"}}
PREVIOUS_ATTRIBUTES = {"type": "object", "description": "The previous values of what changed."}

PRODUCT = obj({
    "id": {"type": "string", "pattern": "^prod_"},
    "object": {"const": "product"},
    "sku": STRING, "name": STRING, "description": TEXT,
    "price": MONEY, "cost": nullable(MONEY),
    "gtin": TEXT, "ncm": TEXT, "brand": TEXT,
    "weight_kg": nullable({"type": "string", "pattern": r"^\d+\.\d{3}$"}),
    "dimensions": obj({name: nullable(MONEY) for name in ("height_cm", "width_cm", "length_cm")}),
    "active": {"type": "boolean"},
    "metadata": METADATA,
    "inventory": nullable(obj({"quantity": {"type": "integer"},
                               "low_stock_threshold": {"type": "integer"}})),
    "created_at": DATE_TIME, "updated_at": DATE_TIME,
})

CUSTOMER_SUMMARY = obj({"id": STRING, "name": STRING, "email": TEXT, "document": TEXT})

ADDRESS = obj({
    "street": STRING, "number": STRING, "complement": TEXT, "district": TEXT, "city": STRING,
    "state": {"type": "string", "minLength": 2, "maxLength": 2},
    "postal_code": {"type": "string", "pattern": r"^\d{8}$"}, "country": {"const": "BR"},
}, required=["street", "number", "city", "state", "postal_code"])

CUSTOMER = obj({
    "id": {"type": "string", "pattern": "^cus_"},
    "object": {"const": "customer"},
    "name": STRING, "email": TEXT, "phone": TEXT, "document": TEXT,
    "document_type": nullable({"enum": ["cpf", "cnpj"]}),
    "address": nullable(ADDRESS),
    "metadata": METADATA,
    "created_at": DATE_TIME, "updated_at": DATE_TIME,
})

ORDER_ITEM = obj({
    "id": STRING, "product_id": STRING, "sku": STRING, "name": STRING,
    "quantity": {"type": "integer", "minimum": 1}, "unit_price": MONEY, "total": MONEY,
})

ORDER_STATUSES = ["pending", "paid", "invoiced", "shipped", "delivered", "cancelled"]

ORDER = obj({
    "id": {"type": "string", "pattern": "^ord_"},
    "object": {"const": "order"},
    "status": {"enum": ORDER_STATUSES},
    "customer": CUSTOMER_SUMMARY,
    "channel": STRING, "external_number": TEXT,
    "items": {"type": "array", "items": ORDER_ITEM, "minItems": 1},
    "currency": {"const": "BRL"},
    "items_total": MONEY, "shipping_total": MONEY, "discount_total": MONEY, "total": MONEY,
    "tracking_code": TEXT, "notes": TEXT, "metadata": METADATA,
    "status_history": {"type": "array", "items": obj({"status": {"enum": ORDER_STATUSES},
                                                      "at": DATE_TIME})},
    "created_at": DATE_TIME, "updated_at": DATE_TIME,
})

INVENTORY_ITEM = obj({
    "object": {"const": "inventory_item"},
    "product_id": {"type": "string", "pattern": "^prod_"},
    "sku": STRING,
    "quantity": {"type": "integer", "minimum": 0},
    "low_stock_threshold": {"type": "integer", "minimum": 0},
    "low_stock": {"type": "boolean"},
    "updated_at": DATE_TIME,
})

INTEGRATION = obj({
    "id": {"type": "string", "pattern": "^int_"},
    "object": {"const": "integration"},
    "provider": {"enum": ["bling", "omie", "tiny"]},
    "name": STRING,
    "status": {"enum": ["connected", "disconnected", "error"]},
    "error": nullable(obj({"code": STRING, "message": STRING})),
    "updated_at": DATE_TIME,
})


def extend(base: dict, properties: dict, required: list[str] | None = None) -> dict:
    """`base` plus extra properties (required unless listed otherwise)."""
    return {**base, "properties": {**base["properties"], **properties},
            "required": [*base["required"], *(list(properties) if required is None else required)]}


def with_required_value(base: dict, name: str, schema: dict) -> dict:
    """`base` where property `name` must have the non-null `schema`."""
    return {**base, "properties": {**base["properties"], name: schema}}
