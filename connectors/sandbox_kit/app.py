"""The Flask shell every sandbox shares: exact JSON answers, the call log, and the test-only
endpoints.

    GET  /__sandbox/calls        every request received since the last reset (method, path,
                                 query, body, status, time)
    DELETE /__sandbox/calls      forget the call log only
    POST /__sandbox/reset        re-seed the data, clear the call log and the rate windows
    POST /__sandbox/touch        {"entity": "products"|"orders", "count": N} or {"ids": [...]}:
                                 change N records "in the ERP" now (for incremental syncs)
"""
from __future__ import annotations

import functools
import os
from typing import Protocol

from flask import Blueprint, Flask, Response, current_app, request

from ..sdk.values import dumps_json
from .calllog import CallLog

TEST_PREFIX = "/__sandbox"


class SandboxState(Protocol):
    calls: CallLog

    def reset(self) -> None: ...

    def touch(self, entity: str, count: int, ids: list | None) -> list: ...


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    """Compact JSON with keys in the order given (the ERPs' envelopes, byte for byte) and
    Decimals written as exact JSON numbers."""
    return Response(dumps_json(payload), status=status, headers=headers,
                    content_type="application/json")


def state() -> SandboxState:
    return current_app.config["SANDBOX_STATE"]


def locked(view):
    """Run a view holding the sandbox's state lock (the server is threaded)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with state().lock:
            return view(*args, **kwargs)
    return wrapper


def _test_blueprint() -> Blueprint:
    blueprint = Blueprint("sandbox_test", __name__, url_prefix=TEST_PREFIX)

    @blueprint.get("/calls")
    def calls():
        return json_response({"calls": state().calls.all()})

    @blueprint.delete("/calls")
    def clear_calls():
        state().calls.clear()
        return Response(status=204)

    @blueprint.post("/reset")
    def reset():
        with state().lock:
            state().reset()
        return Response(status=204)

    @blueprint.post("/touch")
    def touch():
        body = request.get_json(silent=True) or {}
        with state().lock:
            touched = state().touch(body.get("entity", "products"), int(body.get("count", 1)),
                                    body.get("ids"))
        return json_response({"touched": touched})

    return blueprint


def build_app(import_name: str, sandbox_state: SandboxState) -> Flask:
    # Explicit paths: Flask's package lookup does not understand the editable-install finder.
    here = os.path.dirname(os.path.abspath(__file__))
    app = Flask(import_name, root_path=here, instance_path=here)
    app.config["SANDBOX_STATE"] = sandbox_state
    app.register_blueprint(_test_blueprint())

    @app.after_request
    def record(response):
        if not request.path.startswith(TEST_PREFIX):
            sandbox_state.calls.record(request, response.status_code)
        return response

    return app
