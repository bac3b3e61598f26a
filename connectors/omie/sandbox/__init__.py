"""A local, stateful simulator of the Omie API (https://app.omie.com.br/api/v1/).

    create_app(seed=42, products=300, customers=60, orders=120, rate_limit=True,
               app_key=..., app_secret=..., fault_status=500, invoice_delay=0.0)
    serve(host="127.0.0.1", port=8702)
    python -m markethub.connectors.omie.sandbox --port 8702

Every call is `POST /api/v1/{modulo}/{servico}/` (trailing slash required) with
`{"call", "app_key", "app_secret", "param": [{...}]}`. Errors are faults
`{"faultstring": "ERROR: ...", "faultcode": "SOAP-ENV:Client-<n>"}` (HTTP 500 by default; sources
disagree, so `fault_status` switches it to 200). An empty page is fault Client-5113; the same
query twice within 60 s is fault Client-6 ("consumo redundante"); over 240 calls/min per
app_key+method, 960/min overall or 4 concurrent per method -> HTTP 429.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal

from flask import request

from ...sandbox_kit.app import build_app, json_response
from ...sandbox_kit.limits import InFlight, RateGroup, RecentIds, SlidingWindow
from ...sandbox_kit.server import serve as _serve
from . import sales, stock  # noqa: F401  (register the methods)
from .protocol import METHODS, REDUNDANT, Fault
from .state import OmieState

DEFAULT_PORT = 8702
DEMO_KEY, DEMO_SECRET = "5002391847113", "omie-sandbox-secret"


@dataclass(frozen=True)
class OmieLimits:
    per_method_per_minute: int = 240
    per_minute: int = 960
    concurrent_per_method: int = 4
    redundant_window: float = 60.0


class Gate:
    """Omie's limits, checked before a method runs."""

    def __init__(self, limits: OmieLimits | None):
        self.limits = limits
        self.reset()

    def reset(self) -> None:
        limits = self.limits or OmieLimits()
        self.per_method = RateGroup({"method": SlidingWindow(limits.per_method_per_minute, 60.0)})
        self.overall = RateGroup({"ip": SlidingWindow(limits.per_minute, 60.0)})
        self.in_flight = InFlight(limits.concurrent_per_method)
        self.recent = RecentIds(limits.redundant_window)


def _parse() -> tuple[str, str, dict]:
    try:
        body = json.loads(request.get_data(cache=True) or b"null", parse_float=Decimal)
    except ValueError:
        raise Fault(8, "O corpo da requisição não é um JSON válido.") from None
    if not isinstance(body, dict) or not body.get("call"):
        raise Fault(8, "Tag [CALL] não informada!")
    param = body.get("param")
    if not isinstance(param, list) or len(param) != 1 or not isinstance(param[0], dict):
        raise Fault(8, "A tag [PARAM] deve ser uma lista com um objeto.")
    keys = str(body.get("app_key", "")), str(body.get("app_secret", ""))
    return *keys, {**body, "param": param[0]}


def create_app(*, seed: int = 42, products: int = 300, customers: int = 60, orders: int = 120,
               rate_limit: bool | OmieLimits = True, app_key: str = DEMO_KEY,
               app_secret: str = DEMO_SECRET, fault_status: int = 500,
               invoice_delay: float = 0.0, latency: float = 0.0):
    state = OmieState(seed=seed, products=products, customers=customers, orders=orders,
                      app_key=app_key, app_secret=app_secret, invoice_delay=invoice_delay)
    gate = Gate(rate_limit if isinstance(rate_limit, OmieLimits) else None)
    state.limits = gate if rate_limit is not False else None
    app = build_app(__name__, state)

    @app.post("/api/v1/<path:service>/")
    def rpc(service: str):
        try:
            return _dispatch(state, gate if state.limits else None, service, latency)
        except Fault as fault:
            return json_response(fault.body, fault_status)

    return app


def _dispatch(state: OmieState, gate: Gate | None, service: str, latency: float):
    key, secret, body = _parse()
    if key != state.app_key or secret != state.app_secret:
        raise Fault(101, "A chave de acesso não está preenchida ou não é válida!")
    handler = METHODS.get((service, body["call"]))
    if handler is None:
        raise Fault(100, f"Método [{body['call']}] não existe no serviço [{service}]!")
    slot = f"{key}:{body['call']}"
    if gate is not None:
        if gate.overall.hit("ip") or gate.per_method.hit(slot) or not gate.in_flight.enter(slot):
            return json_response({"faultstring": "ERROR: Too many Requests",
                                  "faultcode": "SOAP-ENV:Client-429"}, 429)
    try:
        if latency:
            time.sleep(latency)  # lets tests see requests overlap
        _refuse_redundant(gate, service, body)
        with state.lock:
            return json_response(handler(state, body["param"]))
    finally:
        if gate is not None:
            gate.in_flight.leave(slot)


def _refuse_redundant(gate: Gate | None, service: str, body: dict) -> None:
    if gate is None or (service, body["call"]) not in REDUNDANT:
        return
    fingerprint = json.dumps([body["app_key"], body["call"], body["param"]], sort_keys=True,
                             default=str)
    wait = gate.recent.seen_recently(fingerprint)
    if wait:
        raise Fault(6, f"Consumo redundante detectado. Aguarde {int(wait) + 1} segundos para "
                       "efetuar a requisição.")


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, app=None, **options) -> None:
    _serve(app or create_app(**options), host, port, "Omie")


__all__ = ["create_app", "serve", "OmieLimits", "DEMO_KEY", "DEMO_SECRET"]
