"""The errors a connector raises. Classified once, at the HTTP boundary (see http.py).

Every error has a stable machine-readable `code` and a human `message`; when the ERP said
something, its own words are kept in `erp_message` (and its code in `erp_code`) so the
platform can show the seller exactly what the ERP refused.

    ConnectorError
    ├── RetryableError      try again later (429, 5xx, timeouts, ERP "busy"); carries retry_after
    │   └── UnreachableError  the ERP could not be reached at all (DNS, refused, timeout)
    ├── AuthError           credentials rejected: the integration needs the seller's attention
    │   └── TokenExpiredError  an OAuth access token expired (the client refreshes once)
    └── FatalError          retrying the same request will fail the same way
        ├── InvalidInputError  refused before any request: inputs do not match the schema
        ├── RejectedError      the ERP refused this item (validation, not found, duplicate)
        └── UnknownOperationError  no action/trigger/sync with that key
"""
from __future__ import annotations

from typing import Any


class ConnectorError(Exception):
    code = "connector_error"
    retryable = False

    def __init__(self, message: str, *, erp_message: str | None = None,
                 erp_code: str | int | None = None, status: int | None = None,
                 details: Any = None):
        super().__init__(message)
        self.message = message
        self.erp_message = erp_message
        self.erp_code = erp_code
        self.status = status
        self.details = details

    def to_dict(self) -> dict:
        """A JSON-safe description for run records and API answers (never holds secrets)."""
        data = {"code": self.code, "message": self.message, "retryable": self.retryable}
        for name in ("erp_message", "erp_code", "status", "details"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


class RetryableError(ConnectorError):
    code = "erp_unavailable"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after

    def to_dict(self) -> dict:
        data = super().to_dict()
        if self.retry_after is not None:
            data["retry_after"] = self.retry_after
        return data


class RateLimitedError(RetryableError):
    code = "erp_rate_limited"


class UnreachableError(RetryableError):
    code = "erp_unreachable"


class AuthError(ConnectorError):
    code = "erp_auth_failed"


class TokenExpiredError(AuthError):
    code = "erp_token_expired"


class FatalError(ConnectorError):
    code = "erp_request_failed"


class InvalidInputError(FatalError):
    code = "invalid_input"

    def __init__(self, message: str, *, fields: dict[str, list[str]], **kwargs):
        super().__init__(message, details={"fields": fields}, **kwargs)
        self.fields = fields


class RejectedError(FatalError):
    code = "erp_rejected"


class UnknownOperationError(FatalError):
    code = "unknown_operation"
