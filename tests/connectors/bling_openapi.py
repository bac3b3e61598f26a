"""Validate real Bling traffic (our requests, the sandbox's answers) against Bling's official
OpenAPI spec (shared/specs/bling-api-v3-openapi.json) with openapi-core.

A WSGI middleware in front of the sandbox keeps every request and response as they crossed
the wire; `validate()` checks each one against the spec.

The spec has quirks that make a strictly literal check impossible; each is patched in a copy
(never in the file) and listed here:

1. Spec validation: `/contas-contabeis` declares a path parameter with `required: false`,
   which OpenAPI 3.0 forbids, so the document itself fails validation -> we load it without
   the spec validator (`spec_validator_cls=None`); every operation we use is still checked.
2. `ErrorResponse` requires top-level `"error.type"`, `message`, `description` (a dotted name
   and the wrong level) while its own `error` object — and every documented error body —
   carries them nested. The patched schema requires `error` with `type/message/description`.
3. `dimensoes.unidadeMedida` is `type: integer` with `enum: ["0","1","2"]` (strings): no value
   can satisfy it. Patched to `enum: [0, 1, 2]` (Bling's detail answers carry an integer).
4. Sales-order `parcelas[]` requires `id` — an id that Bling itself assigns, so a request that
   creates an order cannot carry it. Required only in responses (as `readOnly` would say).
5. `Error.type` lists only upper-case types, while Bling's own error pages (/erros-comuns,
   /migracao-jwt) show the OAuth ones on 400/401/403: `invalid_token`, `invalid_request`,
   `invalid_client`, `invalid_grant`, `unsupported_grant_type`, `insufficient_scope`. Added.
6. Error statuses the spec does not declare for an operation (401/403/429 on most paths, the
   OAuth endpoints, which are outside the spec): their bodies are validated with jsonschema
   against the patched `ErrorResponse` instead.
"""
from __future__ import annotations

import copy
import io
import json
import warnings
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.wrappers import Request, Response

SPEC_PATH = Path("/work/shared/specs/bling-api-v3-openapi.json")
API_PREFIX = "/Api/v3/"
OAUTH_ERROR_TYPES = ["invalid_token", "invalid_request", "invalid_client", "invalid_grant",
                     "unsupported_grant_type", "insufficient_scope"]


@cache
def _raw_spec() -> dict:
    return json.loads(SPEC_PATH.read_text("utf-8"))


def patched_spec(server_url: str) -> dict:
    spec = copy.deepcopy(_raw_spec())
    spec["servers"] = [{"url": server_url}]
    schemas = spec["components"]["schemas"]
    schemas["ErrorResponse"]["required"] = ["error"]  # `Error` itself requires the three
    schemas["Error"]["properties"]["type"]["enum"] += OAUTH_ERROR_TYPES
    _walk(spec, _fix_unit_enum)
    parcel = schemas["VendasParcelaDTO"]["properties"]
    parcel["id"] = {**parcel["id"], "readOnly": True}
    return spec


def _walk(node, fix) -> None:
    if isinstance(node, dict):
        fix(node)
        for value in node.values():
            _walk(value, fix)
    elif isinstance(node, list):
        for value in node:
            _walk(value, fix)


def _fix_unit_enum(node: dict) -> None:
    unit = node.get("properties", {}).get("unidadeMedida") if "properties" in node else None
    if isinstance(unit, dict) and unit.get("enum") == ["0", "1", "2"]:
        unit["enum"] = [0, 1, 2]


class Recorder:
    """WSGI middleware: pass everything through, keep a copy of each exchange."""

    def __init__(self, app):
        self.app = app
        self.exchanges: list[tuple[dict, bytes, Response]] = []

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        saved = {k: v for k, v in environ.items() if isinstance(v, str)}
        response = Response.from_app(self.app, environ, buffered=True)
        self.exchanges.append((saved, body, response))
        return response(environ, start_response)

    def clear(self) -> None:
        self.exchanges.clear()


def _request(environ: dict, body: bytes) -> Request:
    return Request({**environ, "wsgi.input": io.BytesIO(body)})


@cache
def _openapi(server_url: str) -> OpenAPI:
    return OpenAPI.from_dict(patched_spec(server_url), config=Config(spec_validator_cls=None))


def _declared(openapi: OpenAPI, request) -> set[str]:
    spec = openapi.spec
    for path, item in (spec / "paths").items():
        if _matches(path, request.path.removeprefix("/Api/v3")) and request.method in item:
            return {str(code) for code in (item / request.method / "responses").keys()}
    return set()


def _matches(template: str, path: str) -> bool:
    left, right = template.strip("/").split("/"), path.strip("/").split("/")
    return len(left) == len(right) and all(
        a == b or a.startswith("{") for a, b in zip(left, right, strict=True))


def validate(recorder: Recorder, server_url: str) -> int:
    """Check every recorded API exchange; return how many were checked."""
    with warnings.catch_warnings():
        # openapi-core cannot check an oauth2 security scheme (nor can anyone offline)
        warnings.filterwarnings("ignore", "Unsupported scheme type", UserWarning)
        return _validate(recorder, server_url)


def _validate(recorder: Recorder, server_url: str) -> int:
    openapi = _openapi(server_url + "/Api/v3")
    spec = patched_spec(server_url)
    error_schema = {"$ref": "#/components/schemas/ErrorResponse",
                    "components": spec["components"]}
    checked = 0
    for environ, body, response in recorder.exchanges:
        request = WerkzeugOpenAPIRequest(_request(environ, body))
        if not request.path.startswith(API_PREFIX):
            continue
        if request.path.startswith(API_PREFIX + "oauth/"):
            if response.status_code >= 400:
                Draft4Validator(error_schema).validate(json.loads(response.get_data()))
            continue
        checked += 1
        if response.status_code < 400:
            openapi.validate_request(request)
        if str(response.status_code) in _declared(openapi, request):
            openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
        else:
            Draft4Validator(error_schema).validate(json.loads(response.get_data()))
    return checked
