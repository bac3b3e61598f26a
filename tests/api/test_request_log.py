"""Every request gets a request id and exactly one JSON access-log line; errors carry the id."""
from __future__ import annotations

import json
import logging

import pytest
from flask import g
from pythonjsonlogger.core import BaseJsonFormatter

from markethub.platform import errors

from api_helpers import PRODUCT


@pytest.fixture
def access_lines(caplog):
    """The access log records of the test, formatted by the app's own JSON formatter."""
    caplog.set_level(logging.INFO, logger="markethub.access")
    formatter = next(handler.formatter for handler in logging.getLogger().handlers
                     if isinstance(handler.formatter, BaseJsonFormatter))

    def read() -> list[dict]:
        return [json.loads(formatter.format(record)) for record in caplog.records
                if record.name == "markethub.access"]
    return read


@pytest.mark.parametrize("method,path", [("get", "/v1/products"), ("get", "/v1/nowhere"),
                                         ("post", "/v1/auth/token"), ("get", "/hub/")])
def test_every_response_has_a_request_id(client, method, path):
    response = getattr(client, method)(path)

    assert response.headers["X-Request-Id"].startswith("req_")


def test_ids_are_unique(client):
    ids = {client.get("/v1/products").headers["X-Request-Id"] for _ in range(5)}

    assert len(ids) == 5


def test_client_request_id_is_echoed(api):
    response = api.get("/v1/products", headers={"X-Request-Id": "zap-42.abc:1"})

    assert response.headers["X-Request-Id"] == "zap-42.abc:1"


def test_a_uuid_request_id_is_echoed(api):
    uuid = "3f2b8c1e-9d4a-4c7e-8b1f-2a6d5e7c9b0a"

    assert api.get("/v1/products", headers={"X-Request-Id": uuid}).headers["X-Request-Id"] == uuid


@pytest.mark.parametrize("unsafe", ["has space", "x" * 41, "quote\"d", "new\nline"])
def test_unsafe_client_request_id_is_replaced(api, unsafe):
    response = api.get("/v1/products", headers={"X-Request-Id": unsafe.replace("\n", "%0A")})

    assert response.headers["X-Request-Id"].startswith("req_")


def test_error_body_carries_the_request_id(api):
    response = api.get("/v1/products/prod_missing", headers={"X-Request-Id": "trace-1"})

    assert response.json["error"]["request_id"] == "trace-1"


def test_one_json_line_per_request(api, account, access_lines):
    api.post("/v1/products", json=PRODUCT, headers={"X-Request-Id": "trace-2"})

    lines = access_lines()

    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "trace-2"
    assert line["tenant_id"] == account.tenant_id
    assert (line["method"], line["path"], line["status"]) == ("POST", "/v1/products", 201)
    assert isinstance(line["latency_ms"], (int, float)) and line["latency_ms"] >= 0
    assert line["logger"] == "markethub.access" and "time" in line


def test_failed_and_anonymous_requests_are_logged_too(client, access_lines):
    client.get("/v1/orders")

    (line,) = access_lines()
    assert (line["status"], line["tenant_id"], line["path"]) == (401, None, "/v1/orders")


def test_log_line_never_contains_credentials(client, api, account, access_lines):
    api.get("/v1/products")
    client.post("/v1/auth/token", data={"grant_type": "client_credentials",
                                        "client_id": "cli_x", "client_secret": "mhcs_secret"})

    text = json.dumps(access_lines())
    assert account.api_key not in text and "mhcs_secret" not in text


def test_unhandled_errors_are_logged_with_the_request_id(app, caplog):
    with app.test_request_context("/v1/products"):
        g.request_id = "req_boom"
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:  # as Flask calls its error handlers
            response = errors.handle_unexpected(error)

    assert response.status_code == 500
    assert response.json["error"] == {
        "code": "internal_error", "request_id": "req_boom",
        "message": "An internal error occurred; it has been logged."}
    (record,) = [r for r in caplog.records if r.name == "markethub.errors"]
    assert record.request_id == "req_boom"
    assert record.exc_info and "boom" in str(record.exc_info[1])
