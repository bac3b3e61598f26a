"""A product row of services.products' reads, as the API shows it.

Exactly what ProductSchema dumps (tests/api/test_representations.py holds the two equal for full,
sparse and stockless products), written out by hand: catalogue polling pages through thousands of
products, and the schema's per-field machinery was most of a page's CPU (bench/README.md). The
schema still validates input, dumps writes' answers and documents the shape in openapi.yaml.
"""
from __future__ import annotations


def _decimal(value) -> str | None:
    # The columns already carry the schema's places (NUMERIC scale; quantized on SQLite).
    return None if value is None else format(value, "f")


def _instant(value) -> str | None:
    return None if value is None else value.isoformat()


# The columns of services.products' reads, in the order they are selected (asserted by the tests):
# unpacking a row is ten times cheaper than reading its attributes one by one.
COLUMNS = ("id", "sku", "name", "description", "price", "cost", "gtin", "ncm", "brand",
           "weight_kg", "height_cm", "width_cm", "length_cm", "active", "created_at",
           "updated_at", "metadata_", "stock_quantity", "stock_low_threshold")


def product_json(row) -> dict:
    (id_, sku, name, description, price, cost, gtin, ncm, brand, weight_kg, height_cm, width_cm,
     length_cm, active, created_at, updated_at, metadata, quantity, threshold) = row
    return {
        "id": id_,
        "object": "product",
        "sku": sku,
        "name": name,
        "description": description,
        "price": _decimal(price),
        "cost": _decimal(cost),
        "gtin": gtin,
        "ncm": ncm,
        "brand": brand,
        "weight_kg": _decimal(weight_kg),
        "dimensions": {"height_cm": _decimal(height_cm), "width_cm": _decimal(width_cm),
                       "length_cm": _decimal(length_cm)},
        "active": active,
        "metadata": None if metadata is None else {str(k): str(v) for k, v in metadata.items()},
        "inventory": None if quantity is None else {
            "quantity": quantity, "low_stock_threshold": threshold},
        "created_at": _instant(created_at),
        "updated_at": _instant(updated_at),
    }
