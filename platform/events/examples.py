"""One example `data` per event type, as our services emit it (validated against the schemas)."""
from __future__ import annotations

AT = "2026-03-02T14:05:09.120000+00:00"
BEFORE = "2026-03-01T10:00:00.000000+00:00"

PRODUCT = {
    "id": "prod_01jnq3v8w2k6c9x5t7r4n2q8wa", "object": "product", "sku": "CAM-AZ-P",
    "name": "Camiseta Algodão Azul P", "description": None, "price": "99.90", "cost": "41.50",
    "gtin": "7891234567895", "ncm": "61091000", "brand": "Malha Boa", "weight_kg": "0.250",
    "dimensions": {"height_cm": "2.00", "width_cm": "30.00", "length_cm": "40.00"},
    "active": True, "metadata": {}, "inventory": {"quantity": 12, "low_stock_threshold": 3},
    "created_at": BEFORE, "updated_at": AT,
}

CUSTOMER = {
    "id": "cus_01jnq3v8w2k6c9x5t7r4n2q8wb", "object": "customer", "name": "Maria Silva",
    "email": "maria@example.com.br", "phone": "+55 11 98765-4321", "document": "52998224725",
    "document_type": "cpf",
    "address": {"street": "Av. Paulista", "number": "1578", "complement": "Conj. 12",
                "district": "Bela Vista", "city": "São Paulo", "state": "SP",
                "postal_code": "01310200", "country": "BR"},
    "metadata": {}, "created_at": BEFORE, "updated_at": AT,
}

ORDER = {
    "id": "ord_01jnq3v8w2k6c9x5t7r4n2q8wc", "object": "order", "status": "paid",
    "customer": {"id": CUSTOMER["id"], "name": "Maria Silva", "email": "maria@example.com.br",
                 "document": "52998224725"},
    "channel": "mercado_livre", "external_number": "2000009876543210",
    "items": [{"id": "oli_01jnq3v8w2k6c9x5t7r4n2q8wd", "product_id": PRODUCT["id"],
               "sku": "CAM-AZ-P", "name": "Camiseta Algodão Azul P", "quantity": 2,
               "unit_price": "99.90", "total": "199.80"}],
    "currency": "BRL", "items_total": "199.80", "shipping_total": "15.00",
    "discount_total": "0.00", "total": "214.80", "tracking_code": None, "notes": None,
    "metadata": {}, "status_history": [{"status": "pending", "at": BEFORE},
                                       {"status": "paid", "at": AT}],
    "created_at": BEFORE, "updated_at": AT,
}

INVENTORY_ITEM = {
    "object": "inventory_item", "product_id": PRODUCT["id"], "sku": "CAM-AZ-P", "quantity": 2,
    "low_stock_threshold": 3, "low_stock": True, "updated_at": AT,
}

INTEGRATION = {
    "id": "int_01jnq3v8w2k6c9x5t7r4n2q8we", "object": "integration", "provider": "bling",
    "name": "Bling da loja", "status": "connected", "error": None, "updated_at": AT,
}


def _order(status: str, **changes) -> dict:
    history = [*ORDER["status_history"], {"status": status, "at": AT}]
    return {**ORDER, "status": status, "status_history": history, **changes}


_SHIPPED = _order("shipped", tracking_code="BR123456789BR")

EXAMPLES = {
    "product.created": {**PRODUCT, "inventory": {"quantity": 0, "low_stock_threshold": 0},
                        "updated_at": PRODUCT["created_at"]},
    "product.updated": {**PRODUCT, "previous_attributes": {"price": "109.90"}},
    "product.deleted": {**PRODUCT, "active": False},
    "product.stock_low": {**PRODUCT, "inventory": {"quantity": 2, "low_stock_threshold": 3}},
    "order.created": {**ORDER, "status": "pending", "status_history": ORDER["status_history"][:1],
                      "updated_at": BEFORE},
    "order.updated": {**ORDER, "previous_attributes": {
        "status": "pending", "status_history": ORDER["status_history"][:1]}},
    "order.status_changed": {**ORDER, "previous_status": "pending"},
    "order.shipped": _SHIPPED,
    "order.delivered": _order("delivered", tracking_code="BR123456789BR"),
    "order.cancelled": _order("cancelled"),
    "customer.created": {**CUSTOMER, "updated_at": BEFORE},
    "customer.updated": {**CUSTOMER, "previous_attributes": {"phone": None}},
    "inventory.updated": {**INVENTORY_ITEM, "previous_quantity": 5},
    "inventory.low_stock_alert": {**INVENTORY_ITEM, "previous_quantity": 5},
    "integration.connected": INTEGRATION,
    "integration.disconnected": {**INTEGRATION, "status": "disconnected"},
    "integration.error": {**INTEGRATION, "status": "error", "error": {
        "code": "auth_failed", "message": "Bling refused the access token (401)."}},
}
