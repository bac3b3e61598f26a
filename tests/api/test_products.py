"""/v1/products: SKU rules, Brazilian product codes, exact money, metadata, update and delete."""
from __future__ import annotations

import pytest

from api_helpers import PRODUCT, error_code


def _create(api, **fields):
    return api.post("/v1/products", json={**PRODUCT, **fields})


def _field_errors(response) -> dict:
    assert response.status_code == 422, response.json
    return response.json["error"]["fields"]


def test_create_answers_the_product_with_zero_stock(api):
    response = _create(api, cost="41.5", brand="Marca Ç", weight_kg="0.25")

    assert response.status_code == 201
    body = response.json
    assert body["id"].startswith("prod_") and body["object"] == "product"
    assert (body["sku"], body["price"], body["cost"], body["weight_kg"]) == (
        "CAM-AZ-P", "99.90", "41.50", "0.250")
    assert body["active"] is True
    assert body["inventory"] == {"quantity": 0, "low_stock_threshold": 0}
    assert api.get(f"/v1/products/{body['id']}").json == body


def test_duplicate_sku_in_the_same_tenant_is_409(api):
    _create(api)

    response = _create(api, name="Outro nome")

    assert response.status_code == 409
    assert error_code(response) == "duplicate_sku"
    assert "sku" in response.json["error"]["fields"]
    assert len(api.get("/v1/products").json["data"]) == 1


def test_same_sku_is_fine_in_another_tenant(api, other_api):
    _create(api)

    assert _create(other_api).status_code == 201


def test_deleting_a_product_frees_its_sku(api):
    first = _create(api).json
    assert api.delete(f"/v1/products/{first['id']}").status_code == 204

    again = _create(api)

    assert again.status_code == 201
    assert again.json["id"] != first["id"]


def test_renaming_to_a_taken_sku_is_409(api, make_product):
    make_product(sku="TAKEN")
    other = make_product(sku="FREE")

    response = api.put(f"/v1/products/{other['id']}", json={"sku": "TAKEN"})

    assert response.status_code == 409
    assert error_code(response) == "duplicate_sku"
    assert api.get(f"/v1/products/{other['id']}").json["sku"] == "FREE"


@pytest.mark.parametrize("gtin", ["7891234567895", "96385074", "036000291452", "17891234567892"])
def test_valid_gtins_are_accepted(api, gtin):
    response = _create(api, gtin=gtin)

    assert response.status_code == 201, response.json
    assert response.json["gtin"] == gtin


@pytest.mark.parametrize("gtin", ["7891234567890", "789123456789X", "1234567", "12345678901",
                                  "123456789012345", ""])
def test_invalid_gtin_is_422(api, gtin):
    assert "gtin" in _field_errors(_create(api, gtin=gtin))


@pytest.mark.parametrize("ncm,stored", [("8471.30.12", "84713012"), ("84713012", "84713012"),
                                        (" 6109.10.00 ", "61091000")])
def test_ncm_is_stored_as_8_digits(api, ncm, stored):
    response = _create(api, ncm=ncm)

    assert response.status_code == 201, response.json
    assert response.json["ncm"] == stored


@pytest.mark.parametrize("ncm", ["8471.30.1", "847130123", "8471A012", "abcdefgh", ""])
def test_ncm_without_8_digits_is_422(api, ncm):
    assert "ncm" in _field_errors(_create(api, ncm=ncm))


@pytest.mark.parametrize("given,answered", [
    (99.9, "99.90"), ("0.1", "0.10"), (0.3, "0.30"), ("19.90", "19.90"), (5, "5.00"),
    ("1e2", "100.00"), ("9999999999.99", "9999999999.99"), ("7.50", "7.50")])
def test_prices_are_exact_two_place_decimals(api, given, answered):
    response = _create(api, price=given)

    assert response.status_code == 201, response.json
    assert response.json["price"] == answered


@pytest.mark.parametrize("price", ["19.999", 0.001, "-1.00", "10000000000.00", "abc", True, None])
def test_bad_prices_are_422(api, price):
    assert "price" in _field_errors(_create(api, price=price))


def test_dimensions_round_trip(api):
    response = _create(api, dimensions={"height_cm": "10.5", "width_cm": 20, "length_cm": None})

    assert response.json["dimensions"] == {"height_cm": "10.50", "width_cm": "20.00",
                                           "length_cm": None}


def test_metadata_round_trips(api):
    metadata = {"origem": "planilha", "código": "Ação ✓", "empty": ""}

    response = _create(api, metadata=metadata)

    assert response.json["metadata"] == metadata


@pytest.mark.parametrize("metadata", [
    {f"k{i}": "v" for i in range(51)},
    {"k" * 41: "v"},
    {"": "v"},
    {"k": "v" * 501},
    {"k": 1},
    {"k": None},
    {"k": {"nested": "x"}},
    ["not", "a", "dict"],
])
def test_metadata_limits(api, metadata):
    assert "metadata" in " ".join(_field_errors(_create(api, metadata=metadata)))


def test_metadata_at_the_limits_is_accepted(api):
    metadata = {f"{i:02d}" + "k" * 38: "v" * 500 for i in range(50)}

    assert _create(api, metadata=metadata).status_code == 201


def test_put_changes_only_the_fields_sent(api):
    created = _create(api, cost="10.00", gtin="7891234567895").json

    response = api.put(f"/v1/products/{created['id']}", json={"name": "Novo nome",
                                                              "price": "120.00"})

    assert response.status_code == 200
    updated = response.json
    assert (updated["name"], updated["price"]) == ("Novo nome", "120.00")
    assert (updated["sku"], updated["cost"], updated["gtin"]) == ("CAM-AZ-P", "10.00",
                                                                 "7891234567895")
    assert updated["updated_at"] > created["updated_at"]
    assert api.get(f"/v1/products/{created['id']}").json == updated


def test_put_can_clear_an_optional_field(api):
    created = _create(api, gtin="7891234567895").json

    response = api.put(f"/v1/products/{created['id']}", json={"gtin": None})

    assert response.json["gtin"] is None


@pytest.mark.parametrize("body", [{"price": None}, {"name": ""}, {"sku": None}])
def test_put_cannot_clear_a_required_field(api, body):
    created = _create(api).json

    response = api.put(f"/v1/products/{created['id']}", json=body)

    assert response.status_code == 422
    assert api.get(f"/v1/products/{created['id']}").json == created


def test_deleted_product_is_gone(api):
    created = _create(api).json
    path = f"/v1/products/{created['id']}"

    deleted = api.delete(path)

    assert deleted.status_code == 204 and deleted.data == b""
    for response in (api.get(path), api.put(path, json={"name": "x"}), api.delete(path),
                     api.put(f"/v1/inventory/{created['id']}", json={"quantity": 1})):
        assert response.status_code == 404
        assert error_code(response) == "product_not_found"
    assert api.get("/v1/products").json["data"] == []
    assert api.get("/v1/inventory").json["data"] == []


def test_unknown_product_is_404(api):
    response = api.get("/v1/products/prod_00000000000000000000000000")

    assert response.status_code == 404
    assert error_code(response) == "product_not_found"


def test_list_filters(api, make_product):
    kept = make_product(sku="CANECA-1", name="Caneca azul")
    make_product(sku="PRATO-1", name="Prato", active=False)

    assert [p["id"] for p in api.get("/v1/products?sku=CANECA-1").json["data"]] == [kept["id"]]
    assert [p["id"] for p in api.get("/v1/products?q=caneca").json["data"]] == [kept["id"]]
    assert [p["id"] for p in api.get("/v1/products?active=true").json["data"]] == [kept["id"]]
    assert api.get("/v1/products?q=%25").json["data"] == []  # % is literal, not a wildcard
