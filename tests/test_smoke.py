def test_create_and_read_product(api):
    created = api.post("/v1/products", json={"sku": "A-1", "name": "Caneca", "price": "19.90"})
    assert created.status_code == 201, created.json
    fetched = api.get(f"/v1/products/{created.json['id']}")
    assert fetched.json["price"] == "19.90"
