from marshmallow import fields, validate

from ..schema import Schema

from ... import validators
from ..common import ListArgs
from ..fields import Cep, Document, Metadata, Text


class AddressSchema(Schema):
    street = Text(required=True, min_length=1, max_length=200, metadata={"example": "Av. Paulista"})
    number = Text(required=True, min_length=1, max_length=20, metadata={"example": "1578"})
    complement = Text(max_length=100, allow_none=True)
    district = Text(max_length=100, allow_none=True, metadata={"example": "Bela Vista"})
    city = Text(required=True, min_length=1, max_length=100, metadata={"example": "São Paulo"})
    state = fields.String(required=True, validate=validate.OneOf(sorted(validators.UF)),
                          metadata={"example": "SP"})
    postal_code = Cep(required=True, metadata={"example": "01310-200"})
    country = fields.String(load_default="BR", validate=validate.Equal("BR"))


class CustomerSchema(Schema):
    id = fields.String(dump_only=True, metadata={"example": "cus_01jb0j3m8v2k6c9x5t7r4n2q8w"})
    object = fields.Constant("customer", dump_only=True)
    name = Text(required=True, min_length=1, max_length=200, metadata={"example": "Maria Silva"})
    email = fields.Email(allow_none=True, validate=validate.Length(max=254),
                         metadata={"example": "maria@example.com.br"})
    phone = Text(max_length=30, allow_none=True, metadata={"example": "+55 11 98765-4321"})
    document = Document(allow_none=True, metadata={
        "example": "529.982.247-25", "description": "CPF or CNPJ; returned without punctuation."})
    document_type = fields.String(dump_only=True, metadata={"example": "cpf"})
    address = fields.Nested(AddressSchema, allow_none=True)
    metadata = Metadata(attribute="metadata_")
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class CustomerSummarySchema(Schema):
    id = fields.String()
    name = fields.String()
    email = fields.String()
    document = fields.String()


class CustomerListArgs(ListArgs):
    q = Text(max_length=100, metadata={"description": "Search in name, email and document."})
    email = Text(max_length=254)
    document = Text(max_length=20)
