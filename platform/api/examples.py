"""Examples shown in the API docs, one per resource and request."""
CUSTOMER = {
    "id": "cus_01jb0j3m8v2k6c9x5t7r4n2q8w", "object": "customer", "name": "Maria Silva",
    "email": "maria@example.com.br", "phone": "+55 11 98765-4321", "document": "52998224725",
    "document_type": "cpf", "metadata": {},
    "address": {"street": "Av. Paulista", "number": "1578", "complement": "Conj. 12",
                "district": "Bela Vista", "city": "São Paulo", "state": "SP",
                "postal_code": "01310200", "country": "BR"},
    "created_at": "2026-11-29T12:00:00+00:00", "updated_at": "2026-11-29T12:00:00+00:00",
}
CUSTOMER_CREATE = {"name": "Maria Silva", "email": "maria@example.com.br",
                   "document": "529.982.247-25", "address": {
                       "street": "Av. Paulista", "number": "1578", "city": "São Paulo",
                       "state": "SP", "postal_code": "01310-200"}}
PRODUCT = {
    "id": "prod_01jb0j3m8v2k6c9x5t7r4n2q8w", "object": "product", "sku": "CAM-AZ-P",
    "name": "Camiseta Algodão Azul P", "description": "100% algodão", "price": "99.90",
    "cost": "41.50", "gtin": "7891234567895", "ncm": "61091000", "brand": "Tecelagem Sul",
    "weight_kg": "0.250", "dimensions": {"height_cm": "2.00", "width_cm": "25.00",
                                         "length_cm": "30.00"},
    "active": True, "metadata": {"colecao": "verao-2027"},
    "inventory": {"quantity": 42, "low_stock_threshold": 5},
    "created_at": "2026-11-29T12:00:00+00:00", "updated_at": "2026-11-29T12:00:00+00:00",
}
PRODUCT_CREATE = {"sku": "CAM-AZ-P", "name": "Camiseta Algodão Azul P", "price": "99.90",
                  "cost": "41.50", "gtin": "7891234567895", "ncm": "6109.10.00",
                  "weight_kg": "0.250", "dimensions": {"height_cm": 2, "width_cm": 25,
                                                       "length_cm": 30}}
PRODUCT_UPDATE = {"price": "89.90", "active": True}
INVENTORY = {"object": "inventory_item", "product_id": "prod_01jb0j3m8v2k6c9x5t7r4n2q8w",
             "sku": "CAM-AZ-P", "quantity": 40, "low_stock_threshold": 5, "low_stock": False,
             "updated_at": "2026-11-29T12:05:00+00:00"}
INVENTORY_UPDATE = {"adjustment": -2}
ORDER = {
    "id": "ord_01jb0j3m8v2k6c9x5t7r4n2q8w", "object": "order", "status": "pending",
    "customer": {"id": CUSTOMER["id"], "name": "Maria Silva", "email": "maria@example.com.br",
                 "document": "52998224725"},
    "channel": "mercado_livre", "external_number": "2000009876543210", "currency": "BRL",
    "items": [{"id": "oli_01jb0j3m8v2k6c9x5t7r4n2q8x", "product_id": PRODUCT["id"],
               "sku": "CAM-AZ-P", "name": "Camiseta Algodão Azul P", "quantity": 2,
               "unit_price": "99.90", "total": "199.80"}],
    "items_total": "199.80", "shipping_total": "15.00", "discount_total": "0.00",
    "total": "214.80", "tracking_code": None, "notes": None, "metadata": {},
    "status_history": [{"status": "pending", "at": "2026-11-29T12:00:00+00:00"}],
    "created_at": "2026-11-29T12:00:00+00:00", "updated_at": "2026-11-29T12:00:00+00:00",
}
ORDER_CREATE = {"customer_id": CUSTOMER["id"], "channel": "mercado_livre",
                "external_number": "2000009876543210", "shipping_total": "15.00",
                "items": [{"product_id": PRODUCT["id"], "quantity": 2, "unit_price": "99.90"}]}
ORDER_UPDATE = {"status": "paid"}
CUSTOMER_UPDATE = {"phone": "+55 11 91234-5678"}


def page(item: dict) -> dict:
    return {"object": "list", "data": [item], "has_more": True, "next_cursor": item.get(
        "id", item.get("product_id"))}
