"""Bad input always gets a 4xx with a stable code (and the field's name), never a 500."""
from __future__ import annotations

import json

import pytest

from api_helpers import PRODUCT, error_code


def _raw(api, body: bytes | str, content_type="application/json", path="/v1/products",
         method="post"):
    return getattr(api, method)(path, data=body, headers={"Content-Type": content_type})


def _fields(response) -> dict:
    assert response.status_code == 422, response.json
    assert error_code(response) == "validation_error"
    return response.json["error"]["fields"]


@pytest.mark.parametrize("body", [b"{bad json", b'{"sku": "A",}', b"\xff\xfe\x00", b"{",
                                  b'{"sku": "A"} trailing'])
def test_malformed_json_is_400_invalid_json(api, body):
    response = _raw(api, body)

    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_deeply_nested_json_is_a_4xx(api):
    response = _raw(api, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_integer_with_too_many_digits_is_a_4xx(api):
    response = _raw(api, '{"sku": "A", "name": "A", "price": ' + "9" * 5000 + "}")

    assert 400 <= response.status_code < 500
    assert error_code(response) in ("invalid_json", "validation_error")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain",
                                          "multipart/form-data; boundary=x", "application/xml"])
def test_wrong_content_type_is_415(api, content_type):
    response = _raw(api, "sku=A&name=B&price=1", content_type)

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_json_with_a_charset_is_fine(api):
    response = _raw(api, json.dumps(PRODUCT), "application/json; charset=utf-8")

    assert response.status_code == 201


def test_body_over_1_mib_is_413(api):
    body = json.dumps({**PRODUCT, "description": "x" * (1024 * 1024)})

    response = _raw(api, body)

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_unknown_fields_are_422_naming_them(api):
    fields = _fields(api.post("/v1/products", json={**PRODUCT, "colour": "azul",
                                                    "dimensions": {"depth_cm": 1}}))

    assert "colour" in fields
    assert "dimensions.depth_cm" in fields


def test_read_only_fields_cannot_be_sent(api):
    fields = _fields(api.post("/v1/products", json={**PRODUCT, "id": "prod_mine",
                                                    "inventory": {"quantity": 5}}))

    assert {"id", "inventory"} <= set(fields)


@pytest.mark.parametrize("change,field", [
    ({"price": [1]}, "price"), ({"price": {"amount": 1}}, "price"), ({"name": 123}, "name"),
    ({"sku": ["A"]}, "sku"), ({"active": "maybe"}, "active"), ({"metadata": "x"}, "metadata"),
    ({"dimensions": "10x20"}, "dimensions"), ({"weight_kg": "pesado"}, "weight_kg"),
])
def test_wrong_types_are_422(api, change, field):
    assert field in _fields(api.post("/v1/products", json={**PRODUCT, **change}))


@pytest.mark.parametrize("price", ["1e400", "1E+400", str(10**30), "NaN", "Infinity",
                                  "-Infinity", "sNaN", "1e-400", "0x10", ""])
def test_huge_or_special_numbers_as_strings_are_422(api, price):
    assert "price" in _fields(api.post("/v1/products", json={**PRODUCT, "price": price}))


@pytest.mark.parametrize("literal", ["1e400", str(10**30), "NaN", "Infinity", "-Infinity",
                                     "1.000000000000000000001"])
def test_huge_or_special_json_numbers_are_422(api, literal):
    body = '{"sku": "A", "name": "A", "price": %s}' % literal

    response = _raw(api, body)

    assert "price" in _fields(response)
    assert api.get("/v1/products").json["data"] == []


@pytest.mark.parametrize("literal", ["1e400", str(10**30), "NaN", "Infinity", "1.5", "true"])
def test_huge_or_special_quantities_are_422(api, make_product, literal):
    product = make_product()
    body = '{"quantity": %s}' % literal

    response = _raw(api, body, path=f"/v1/inventory/{product['id']}", method="put")

    assert "quantity" in _fields(response)


@pytest.mark.parametrize("price", ["19.999", "0.001", 19.999, "1.0000001"])
def test_too_many_decimal_places_is_422(api, price):
    fields = _fields(api.post("/v1/products", json={**PRODUCT, "price": price}))

    assert fields["price"] == ["At most 2 decimal places."]


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate", "bell\x07", "\udfff"])
def test_nul_and_lone_surrogates_are_422(api, text):
    body = json.dumps({**PRODUCT, "name": text})  # ensure_ascii: sent as \\u escapes

    assert "name" in _fields(_raw(api, body))


@pytest.mark.parametrize("path,body,field", [
    ("/v1/customers", {"name": "A", "email": "a\x00@example.com"}, "email"),
    ("/v1/customers", {"name": "A", "document": "529.982.247-25\x00"}, "document"),
    ("/v1/products", {**PRODUCT, "gtin": "7891234567895\x00"}, "gtin"),
    ("/v1/products", {**PRODUCT, "ncm": "8471.30.12\x00"}, "ncm"),
    ("/v1/products", {**PRODUCT, "metadata": {"k\x00": "v"}}, "metadata"),
    ("/v1/products", {**PRODUCT, "metadata": {"k": "v\ud800"}}, "metadata"),
    ("/v1/orders", {"customer_id": "cus_\x00", "items": [{"product_id": "p", "quantity": 1}]},
     "customer_id"),
    ("/v1/orders", {"customer_id": "cus_1", "items": [{"product_id": "prod_\x00",
                                                       "quantity": 1}]}, "items[0].product_id"),
])
def test_nul_bytes_in_any_field_are_422(api, path, body, field):
    fields = _fields(_raw(api, json.dumps(body), path=path))

    assert any(name.startswith(field) for name in fields), fields


@pytest.mark.parametrize("path", ["/v1/products/prod_%00", "/v1/orders/ord_%00",
                                  "/v1/customers/%00", "/v1/products/%ED%A0%80",
                                  "/v1/products/" + "x" * 300])
def test_odd_ids_in_the_path_are_404(api, path):
    response = api.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("query", ["sku=%00", "q=%00", "cursor=%00", "updated_since=%00",
                                   "active=%00"])
def test_nul_in_query_parameters_is_422(api, query):
    response = api.get(f"/v1/products?{query}")

    assert response.status_code == 422
    assert query.split("=")[0] in response.json["error"]["fields"]


def test_emoji_and_accents_round_trip(api):
    text = "Camiseta Ação São João 👕🇧🇷 — ñ ü ß 漢字"
    created = api.post("/v1/products", json={**PRODUCT, "name": text, "description": text,
                                              "metadata": {"nota": text}})

    assert created.status_code == 201, created.json
    fetched = api.get(f"/v1/products/{created.json['id']}").json
    assert fetched["name"] == fetched["description"] == fetched["metadata"]["nota"] == text
    assert [p["id"] for p in api.get("/v1/products", query_string={"q": "São João"}).json[
        "data"]] == [created.json["id"]]


@pytest.mark.parametrize("path", ["/v1/products", "/v1/orders", "/v1/customers"])
def test_empty_body_on_post_is_422_naming_required_fields(api, path):
    response = api.post(path)

    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"]


def test_empty_json_object_names_every_required_field(api):
    fields = _fields(api.post("/v1/products", json={}))

    assert {"sku", "name", "price"} <= set(fields)


@pytest.mark.parametrize("body", ["[]", '[{"sku": "A"}]', '"text"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_4xx(api, body):
    response = _raw(api, body)

    assert response.status_code in (400, 422), response.json
    assert error_code(response) in ("invalid_json", "validation_error")


def test_inventory_put_with_array_is_422(api, make_product):
    product = make_product()

    response = _raw(api, "[1]", path=f"/v1/inventory/{product['id']}", method="put")

    assert response.status_code == 422


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", ""])
def test_bad_limit_is_422(api, limit):
    response = api.get(f"/v1/products?limit={limit}")

    assert "limit" in _fields(response)


@pytest.mark.parametrize("path", ["/v1/products", "/v1/orders", "/v1/customers", "/v1/inventory"])
@pytest.mark.parametrize("cursor", ["abc", "prod_", "' OR 1=1 --", "x" * 65])
def test_invalid_cursor_is_422(api, path, cursor):
    response = api.get(path, query_string={"cursor": cursor})

    assert "cursor" in _fields(response)


def test_unknown_query_parameters_are_422(api):
    assert "colour" in _fields(api.get("/v1/products?colour=azul"))


def test_unknown_route_and_method_get_json_errors(api):
    missing = api.get("/v1/nothing-here")
    wrong_method = api.patch("/v1/products")

    assert (missing.status_code, error_code(missing)) == (404, "not_found")
    assert (wrong_method.status_code, error_code(wrong_method)) == (405, "method_not_allowed")
