"""A local, stateful simulator of the Tiny ERP API v2 (https://api.tiny.com.br/api2/).

    create_app(seed=42, products=300, customers=60, orders=120, rate_limit=True, token=...,
               calls_per_minute=60)
    serve(host="127.0.0.1", port=8703)
    python -m markethub.connectors.tiny.sandbox --port 8703

One endpoint per operation (`produtos.pesquisa.php`, `pedido.obter.php`, ...), parameters in
the query or a form body, `token` + `formato=json`, entity payloads as JSON strings in one form
field. Every answer is HTTP 200 `{"retorno": {...}}` — errors too
(`"status":"Erro","codigo_erro":N,"erros":[{"erro":"..."}]`): 20 = no rows (the end of a list),
23 = no such page, 6 = too many calls in the last minute, 11 = too many at once. Every response
carries `x-limit-api` (the account's calls per minute). Decimals are strings ("70.90").
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request

from ...sandbox_kit.app import build_app, json_response, locked
from ...sandbox_kit.limits import InFlight, RateGroup, SlidingWindow
from ...sandbox_kit.server import serve as _serve
from .endpoints import ENDPOINTS, TinyError
from .state import TinyState

DEFAULT_PORT = 8703
DEMO_TOKEN = "tiny-sandbox-token-0001"
WRITES = {"produto.atualizar.estoque.php", "pedido.alterar.situacao", "pedido.alterar.situacao.php"}


@dataclass(frozen=True)
class TinyLimits:
    calls_per_minute: int = 60  # plans: 30 (Crescer), 60 (Evoluir), 120 (Potencializar)


class Gate:
    def __init__(self, limits: TinyLimits):
        self.limits = limits
        self.reset()

    def reset(self) -> None:
        per_minute = self.limits.calls_per_minute
        self.window = RateGroup({"minute": SlidingWindow(per_minute, 60.0)})
        self.in_flight = InFlight(max(1, per_minute // 4))  # concurrent: 1/4 of the limit


def error_body(code: int, message: str, field: str | None = None) -> dict:
    detail = {"erro": message, **({"campo": field} if field else {})}
    return {"retorno": {"status_processamento": "2", "status": "Erro", "codigo_erro": code,
                        "erros": [detail]}}


def create_app(*, seed: int = 42, products: int = 300, customers: int = 60, orders: int = 120,
               rate_limit: bool | TinyLimits = True, token: str = DEMO_TOKEN):
    limits = rate_limit if isinstance(rate_limit, TinyLimits) else TinyLimits()
    state = TinyState(seed=seed, products=products, customers=customers, orders=orders,
                      token=token)
    gate = Gate(limits)
    state.limits = gate if rate_limit is not False else None
    app = build_app(__name__, state)
    headers = {"x-limit-api": str(limits.calls_per_minute)}

    @app.route("/api2/<name>", methods=["GET", "POST"])
    def operation(name: str):
        params = request.values.to_dict()
        handler = ENDPOINTS.get(name)
        if handler is None:
            return json_response(error_body(99, f"Método {name} não encontrado"), 404, headers)
        if not params.get("token"):
            return json_response(error_body(1, "Token não informado"), 200, headers)
        if params["token"] != state.token:
            return json_response(error_body(2, "Token inválido ou não encontrado"), 200, headers)
        if params.get("formato", "").lower() != "json":
            return json_response(error_body(10, "O sandbox responde apenas formato=json",
                                            "formato"), 200, headers)
        return _limited(state, gate if state.limits else None, name, handler, params, headers)

    return app


def _limited(state, gate, name, handler, params, headers):
    if gate is not None:
        if gate.window.hit(state.token):
            return json_response(error_body(6, "API Bloqueada - Excedido o número de acessos "
                                               "no último minuto"), 200, headers)
        if not gate.in_flight.enter(state.token):
            return json_response(error_body(11, "API Bloqueada - Excedido o número de acessos "
                                                "simultâneos"), 200, headers)
    try:
        return _run(state, name, handler, params, headers)
    finally:
        if gate is not None:
            gate.in_flight.leave(state.token)


@locked
def _run(state, name, handler, params, headers):
    try:
        payload = handler(state, params)
    except TinyError as error:
        return json_response(error_body(error.code, error.message, error.field), 200, headers)
    status = "3" if name in WRITES else 3
    return json_response({"retorno": {"status_processamento": status, "status": "OK", **payload}},
                         200, headers)


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, app=None, **options) -> None:
    _serve(app or create_app(**options), host, port, "Tiny v2")
