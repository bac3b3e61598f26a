"""Request ids, one JSON log line per request, and the API's body checks."""
from __future__ import annotations

import logging
import re
import sys
import time

from flask import Flask, g, request
from pythonjsonlogger.orjson import OrjsonFormatter

from .errors import json_error
from .ids import new_id

access_log = logging.getLogger("markethub.access")
# At most 40 characters: the id is stored with audit entries (String(40)); a UUID fits.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,40}$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(OrjsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _start() -> None:
    g.started = time.perf_counter()
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else new_id("req")


def _check_api_body():
    """JSON APIs take JSON: other content types get 415, unparsable JSON gets 400."""
    if request.method not in _BODY_METHODS or not request.path.startswith("/v1/"):
        return None
    if request.path.startswith("/v1/auth/"):
        return None  # OAuth endpoints take form bodies (RFC 6749)
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return None
    if not request.is_json:
        return json_error(415, "unsupported_media_type",
                          "Send the body as JSON with 'Content-Type: application/json'.")
    if request.get_json(silent=True, cache=True) is None:
        return json_error(400, "invalid_json", "The request body is not valid JSON.")
    return None


def _finish(response):
    response.headers["X-Request-Id"] = g.get("request_id", "")
    principal = g.get("principal")
    access_log.info("request", extra={
        "request_id": g.get("request_id"),
        "tenant_id": principal.tenant_id if principal else None,
        "client": f"{principal.actor_type}:{principal.actor_id}" if principal else None,
        "method": request.method, "path": request.path, "status": response.status_code,
        "latency_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000,
                            2),
        "remote_addr": request.remote_addr,
    })
    return response


def _rate_limit_headers(response):
    """RateLimit-Reset as seconds from now (IETF draft), and Retry-After only on a 429."""
    reset = response.headers.get("RateLimit-Reset", "")
    if reset.isdigit() and int(reset) > 1_000_000_000:
        response.headers["RateLimit-Reset"] = str(max(0, int(reset) - int(time.time())))
    if response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_rate_limit_headers(app: Flask) -> None:
    """Register before the limiter: Flask runs after_request hooks in reverse order."""
    app.after_request(_rate_limit_headers)


def init_request_hooks(app: Flask) -> None:
    # First of all hooks (the rate limiter registers earlier): a refused request has an id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.before_request(_check_api_body)
    app.after_request(_finish)
