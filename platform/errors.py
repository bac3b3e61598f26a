"""The AppError tree (status + stable code) and the one JSON error shape.

Every error the API answers has this body, whatever raised it:

    {"error": {"code": "validation_error", "message": "...", "fields": {"price": ["..."]},
               "request_id": "req_..."}}

`code` is stable and machine-readable; `message` is for humans and may change.
"""
from __future__ import annotations

import logging

from flask import g, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("markethub.errors")

# Stable codes for the HTTP errors that Flask, webargs or werkzeug raise themselves.
HTTP_CODES = {
    400: "bad_request",
    401: "authentication_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, fields: dict | None = None,
                 headers: dict | None = None, code: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.fields = fields
        self.headers = headers or {}
        if code:
            self.code = code


class ValidationError(AppError):
    status, code, message = 422, "validation_error", "The request has invalid fields."


class AuthenticationError(AppError):
    status, code, message = 401, "authentication_required", "Valid credentials are required."

    def __init__(self, message=None, *, code=None, error="invalid_token"):
        # RFC 6750 §3: tell the client which scheme to use and what went wrong.
        headers = {"WWW-Authenticate": f'Bearer realm="markethub", error="{error}"'}
        super().__init__(message, headers=headers, code=code)


class ScopeError(AppError):
    status, code = 403, "insufficient_scope"

    def __init__(self, scope: str):
        super().__init__(
            f"This credential lacks the '{scope}' scope needed for this endpoint.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
        )


class NotFoundError(AppError):
    status, code, message = 404, "not_found", "No such resource."

    def __init__(self, resource: str, resource_id: str):
        super().__init__(f"No {resource} with id '{resource_id}'.", code=f"{resource}_not_found")


class ConflictError(AppError):
    status, code, message = 409, "conflict", "The request conflicts with the resource's state."


class InvalidTransitionError(ConflictError):
    code = "invalid_status_transition"


def error_body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    return {"error": body}


def json_error(status: int, code: str, message: str, fields=None, headers=None):
    response = jsonify(error_body(status, code, message, fields))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_field_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dicts -> {"items[0].quantity": ["..."]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list):
        flat[prefix or "_body"] = [str(m) for m in messages]
        return flat
    for key, value in messages.items():
        if isinstance(key, int):
            path = f"{prefix}[{key}]"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":
            path = prefix or "_body"
        if isinstance(value, dict):
            flat.update(flatten_field_errors(value, path))
        else:
            flat.setdefault(path, []).extend(str(m) for m in value)
    return flat


def handle_app_error(error: AppError):
    return json_error(error.status, error.code, error.message, error.fields, error.headers)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        log.error("unhandled server error", extra=_log_context(),
                  exc_info=getattr(error, "original_exception", None))
        return json_error(500, "internal_error", "An internal error occurred; it has been logged.")
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    fields = None
    code = HTTP_CODES.get(status, "error")
    message = error.description or "The request could not be processed."
    if messages:  # webargs / flask-smorest validation errors, keyed by location
        fields = {}
        for location_errors in messages.values():
            fields.update(flatten_field_errors(location_errors))
        if status == 400 and fields.get("_body") == ["Invalid JSON body."]:
            code, message, fields = "invalid_json", "The request body is not valid JSON.", None
        else:
            message = "The request has invalid fields: " + ", ".join(sorted(fields)) + "."
    headers = data.get("headers") or {}
    if status == 413:
        message = "The request body is larger than the limit."
    return json_error(status, code, message, fields, headers)


def _log_context() -> dict:
    """Ties the log line to the request id the client saw in the error body."""
    return {"request_id": g.get("request_id")}


def handle_unexpected(error: Exception):
    log.exception("unhandled exception", extra=_log_context())
    return json_error(500, "internal_error", "An internal error occurred; it has been logged.")
