"""The error shape and the shared error responses, as they appear in openapi.yaml."""
from marshmallow import fields as f

from .schema import Schema


class ErrorDetailSchema(Schema):
    code = f.String(required=True, metadata={"example": "validation_error"})
    message = f.String(required=True, metadata={
        "example": "The request has invalid fields: price."})
    fields = f.Dict(keys=f.String(), values=f.List(f.String()), metadata={
        "example": {"price": ["Must be greater than or equal to 0."]}})
    request_id = f.String(metadata={"example": "req_01jb0j3m8v2k6c9x5t7r4n2q8w"})


class ErrorSchema(Schema):
    error = f.Nested(ErrorDetailSchema, required=True)


def _response(description: str, code: str, message: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"},
        "example": {"error": {"code": code, "message": message,
                              "request_id": "req_01jb0j3m8v2k6c9x5t7r4n2q8w"}}}}}


SHARED_RESPONSES = {
    "Unauthorized": _response("Missing, invalid or expired credentials (with WWW-Authenticate)",
                              "invalid_token", "The access token is invalid or has expired."),
    "Forbidden": _response("The credential lacks the scope this endpoint needs",
                           "insufficient_scope",
                           "This credential lacks the 'products:write' scope needed for this "
                           "endpoint."),
    "RateLimited": _response("Too many requests for the account's plan (see Retry-After and "
                             "RateLimit-* headers)", "rate_limited", "500 per 1 minute"),
}


def register_shared_responses(spec) -> None:
    for name, response in SHARED_RESPONSES.items():
        spec.components.response(name, response)
