"""The baseline: a bare Flask + SQLAlchemy app running the same queries as our endpoints,
without authentication, rate limiting, validation, logging or events."""
import os
from decimal import Decimal

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_size=8)
TENANT = os.environ["BENCH_TENANT_ID"]
app = Flask(__name__)
COLUMNS = ("id, sku, name, description, price, cost, gtin, ncm, brand, active, created_at, "
           "updated_at")


def _row(row) -> dict:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row._mapping.items()}


@app.get("/products/<product_id>")
def product(product_id):
    with engine.connect() as connection:
        row = connection.execute(text(
            f"SELECT {COLUMNS} FROM products WHERE tenant_id = :t AND id = :id"),
            {"t": TENANT, "id": product_id}).first()
    return jsonify(_row(row))


@app.get("/products")
def products():
    limit = int(request.args.get("limit", 20))
    with engine.connect() as connection:
        rows = connection.execute(text(
            f"SELECT {COLUMNS} FROM products WHERE tenant_id = :t AND deleted_at IS NULL "
            "ORDER BY id DESC LIMIT :n"), {"t": TENANT, "n": limit + 1}).all()
    return jsonify({"data": [_row(r) for r in rows[:limit]], "has_more": len(rows) > limit})


@app.post("/orders")
def orders():
    body = request.get_json()
    item = body["items"][0]
    with engine.begin() as connection:
        price = connection.execute(text(
            "SELECT price FROM products WHERE tenant_id = :t AND id = :id"),
            {"t": TENANT, "id": item["product_id"]}).scalar_one()
        total = price * item["quantity"]
        order_id = "ord_bare_" + os.urandom(8).hex()
        connection.execute(text(
            "INSERT INTO orders (id, tenant_id, customer_id, status, channel, currency, "
            "items_total, shipping_total, discount_total, total, metadata, status_history, "
            "created_at, updated_at) VALUES (:id, :t, :c, 'pending', 'direct', 'BRL', :total, 0, "
            "0, :total, '{}', '[]', now(), now())"),
            {"id": order_id, "t": TENANT, "c": body["customer_id"], "total": total})
        connection.execute(text(
            "INSERT INTO order_items (id, order_id, tenant_id, position, product_id, sku, name, "
            "quantity, unit_price, total) VALUES (:id, :o, :t, 0, :p, 'x', 'x', :q, :u, :total)"),
            {"id": "oli_bare_" + os.urandom(8).hex(), "o": order_id, "t": TENANT,
             "p": item["product_id"], "q": item["quantity"], "u": price, "total": total})
    return jsonify({"id": order_id, "total": str(total)}), 201
