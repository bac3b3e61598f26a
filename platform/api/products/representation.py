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


def product_json(row) -> dict:
    quantity, metadata = row.stock_quantity, row.metadata_
    return {
        "id": row.id,
        "object": "product",
        "sku": row.sku,
        "name": row.name,
        "description": row.description,
        "price": _decimal(row.price),
        "cost": _decimal(row.cost),
        "gtin": row.gtin,
        "ncm": row.ncm,
        "brand": row.brand,
        "weight_kg": _decimal(row.weight_kg),
        "dimensions": {"height_cm": _decimal(row.height_cm), "width_cm": _decimal(row.width_cm),
                       "length_cm": _decimal(row.length_cm)},
        "active": row.active,
        "metadata": None if metadata is None else {str(k): str(v) for k, v in metadata.items()},
        "inventory": None if quantity is None else {
            "quantity": quantity, "low_stock_threshold": row.stock_low_threshold},
        "created_at": _instant(row.created_at),
        "updated_at": _instant(row.updated_at),
    }
