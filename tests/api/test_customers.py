"""/v1/customers: CPF and CNPJ (numeric and alphanumeric) check digits, CEP, duplicates."""
from __future__ import annotations

import pytest

from api_helpers import error_code

ADDRESS = {"street": "Av. Paulista", "number": "1578", "city": "São Paulo", "state": "SP",
           "postal_code": "01310-200"}


def _create(api, **fields):
    return api.post("/v1/customers", json={"name": "Maria Silva", **fields})


@pytest.mark.parametrize("document,stored,kind", [
    ("529.982.247-25", "52998224725", "cpf"),
    ("52998224725", "52998224725", "cpf"),
    ("11.222.333/0001-81", "11222333000181", "cnpj"),
    ("12ABC34501DE35", "12ABC34501DE35", "cnpj"),          # alphanumeric CNPJ (2026)
    ("12.abc.345/01de-35", "12ABC34501DE35", "cnpj"),
])
def test_valid_documents_are_stored_normalised(api, document, stored, kind):
    response = _create(api, document=document)

    assert response.status_code == 201, response.json
    assert (response.json["document"], response.json["document_type"]) == (stored, kind)
    assert api.get(f"/v1/customers/{response.json['id']}").json["document"] == stored


@pytest.mark.parametrize("document", [
    "529.982.247-24", "111.111.111-11", "11.222.333/0001-80", "00.000.000/0000-00",
    "12ABC34501DE36", "12ABC34501DEAB", "1234", "529.982.247-255", ""])
def test_invalid_documents_are_422(api, document):
    response = _create(api, document=document)

    assert response.status_code == 422
    assert "document" in response.json["error"]["fields"]
    assert api.get("/v1/customers").json["data"] == []


def test_duplicate_document_is_409_whatever_the_punctuation(api):
    assert _create(api, document="529.982.247-25").status_code == 201

    response = _create(api, name="Outra Maria", document="52998224725")

    assert response.status_code == 409
    assert error_code(response) == "duplicate_document"
    assert "document" in response.json["error"]["fields"]


def test_same_document_is_fine_in_another_tenant(api, other_api):
    _create(api, document="529.982.247-25")

    assert _create(other_api, document="529.982.247-25").status_code == 201


def test_customers_without_document_never_collide(api):
    assert _create(api).status_code == 201
    assert _create(api, document=None).status_code == 201


def test_changing_to_a_taken_document_is_409(api):
    _create(api, document="529.982.247-25")
    other = _create(api, name="João", document="11.222.333/0001-81").json

    response = api.put(f"/v1/customers/{other['id']}", json={"document": "529.982.247-25"})

    assert response.status_code == 409
    assert error_code(response) == "duplicate_document"
    assert api.get(f"/v1/customers/{other['id']}").json["document"] == "11222333000181"


def test_put_updates_only_what_was_sent_and_can_clear_the_document(api):
    created = _create(api, document="529.982.247-25", email="maria@example.com.br").json

    response = api.put(f"/v1/customers/{created['id']}", json={"document": None})

    assert response.status_code == 200
    assert (response.json["document"], response.json["document_type"]) == (None, None)
    assert response.json["email"] == "maria@example.com.br"


def test_address_with_cep_is_normalised(api):
    response = _create(api, address=ADDRESS)

    assert response.status_code == 201, response.json
    address = response.json["address"]
    assert (address["postal_code"], address["city"], address["country"]) == (
        "01310200", "São Paulo", "BR")


@pytest.mark.parametrize("change,field", [
    ({"postal_code": "1310-200"}, "address.postal_code"),
    ({"postal_code": "01310-2000"}, "address.postal_code"),
    ({"postal_code": "ABCDE-FGH"}, "address.postal_code"),
    ({"state": "XX"}, "address.state"),
    ({"country": "AR"}, "address.country"),
    ({"city": ""}, "address.city"),
])
def test_bad_address_is_422_naming_the_field(api, change, field):
    response = _create(api, address={**ADDRESS, **change})

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize("body,field", [
    ({"email": "not-an-email"}, "email"), ({"name": ""}, "name"), ({"name": None}, "name"),
    ({"name": "x" * 201}, "name"), ({"phone": "9" * 31}, "phone")])
def test_bad_fields_are_422(api, body, field):
    response = api.post("/v1/customers", json={"name": "Maria", **body})

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_list_filters(api):
    maria = _create(api, document="529.982.247-25", email="maria@example.com.br").json
    joao = _create(api, name="João Souza", email="joao@example.com.br").json

    def ids(query):
        return [c["id"] for c in api.get(f"/v1/customers?{query}").json["data"]]

    assert ids("document=529.982.247-25") == [maria["id"]]
    assert ids("email=joao@example.com.br") == [joao["id"]]
    assert ids("q=souza") == [joao["id"]]
    assert ids("") == [joao["id"], maria["id"]]
