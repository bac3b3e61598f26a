"""Omie over HTTP — the only module that speaks Omie's protocol.

- Every call: `POST {base}/{modulo}/{servico}/` with `{"call", "app_key", "app_secret",
  "param": [{...}]}` — the keys travel in the body, so nothing here logs bodies.
- Faults `{"faultstring","faultcode"}` come with HTTP 500 or 200 (sources disagree): the JSON is
  read first, whatever the status. Client-5113 (no rows on this page) is the end of a list.
- The governor keeps Omie's limits: 960/min per account, 240/min and 4 in flight per method,
  and never the same consulta twice within 60 s ("consumo redundante").
- Lists page with `pagina` until `total_de_paginas`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import httpx

from ..sdk.context import Context
from ..sdk.errors import AuthError, ConnectorError, RateLimitedError, RejectedError, \
    RetryableError
from ..sdk.governor import Concurrency, Rule
from ..sdk.http import classify_status, json_body, parse_retry_after
from ..sdk.values import dumps_json, to_erp_local

END_OF_LIST = "5113"
AUTH_FAULTS = {"101", "1"}
MISUSE_FAULTS = {"500"}  # "API bloqueada por consumo indevido"
READ_PREFIXES = ("Listar", "Consultar", "Status", "Posicao", "Obter")
REDUNDANT_PREFIXES = ("Consultar", "Status", "Posicao")
WAIT = re.compile(r"Aguarde (\d+) segundos")


def fault_code(body) -> str | None:
    if isinstance(body, dict) and body.get("faultcode"):
        return str(body["faultcode"]).rsplit("-", 1)[-1]
    return None


def classify(response: httpx.Response) -> ConnectorError | None:
    body = json_body(response)
    code = fault_code(body)
    if code is None:
        if response.status_code == 429:
            return RateLimitedError("Omie's rate limit was reached.", status=429,
                                    retry_after=parse_retry_after(response.headers.get(
                                        "Retry-After")) or 10.0)
        return classify_status(response)
    message = str(body.get("faultstring", "")).removeprefix("ERROR: ").strip()
    common = {"erp_message": message, "erp_code": body["faultcode"], "status": response.status_code}
    if code == END_OF_LIST:
        return None
    if code == "6":
        wait = WAIT.search(message)
        return RateLimitedError(f"Omie refused a repeated request: {message}",
                                retry_after=float(wait.group(1)) if wait else 60.0, **common)
    if code == "429" or response.status_code == 429:
        return RateLimitedError(f"Omie's rate limit was reached: {message}", retry_after=10.0,
                                **common)
    if code in AUTH_FAULTS:
        return AuthError(f"Omie refused the app key/secret: {message}", **common)
    if code in MISUSE_FAULTS or response.status_code == 425:
        return RetryableError(f"Omie blocked the API for misuse: {message}", retry_after=1800.0,
                              **common)
    return RejectedError(f"Omie: {message}", **common)


class OmieClient:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        config = ctx.config
        self.margin = config["rate_margin_seconds"]
        self.page_size = config["page_size"]
        self._config = config

    def call(self, service: str, method: str, param: dict) -> dict:
        credentials = self.ctx.credentials
        body = {"call": method, "app_key": credentials["app_key"],
                "app_secret": credentials["app_secret"], "param": [param]}
        response = self.ctx.http.request(
            "POST", f"{service.strip('/')}/", content=dumps_json(body),
            headers={"Content-Type": "application/json"}, rules=self._rules(method, param),
            concurrency=Concurrency(f"{self.ctx.account}:{method}",
                                    self._config["concurrent_per_method"]),
            idempotent=method.startswith(READ_PREFIXES), classify=classify)
        data = json_body(response)
        if not isinstance(data, dict):
            raise RetryableError("Omie answered something that is not JSON.",
                                 status=response.status_code)
        return data

    def _rules(self, method: str, param: dict) -> list[Rule]:
        account, config, margin = self.ctx.account, self._config, self.margin
        rules = [Rule(f"{account}:all", config["requests_per_minute"], 60.0 + margin),
                 Rule(f"{account}:{method}", config["requests_per_minute_per_method"],
                      60.0 + margin)]
        if method.startswith(REDUNDANT_PREFIXES):
            fingerprint = json.dumps(param, sort_keys=True, default=str)
            rules.append(Rule(f"{account}:{method}:{fingerprint}", 1,
                              config["redundant_window_seconds"] + margin))
        return rules

    def ack(self, data: dict, status_key: str = "codigo_status",
            text_key: str = "descricao_status") -> dict:
        """Omie's soft errors: a write answered with a non-zero status code."""
        if str(data.get(status_key, "0")) != "0":
            message = str(data.get(text_key, ""))
            raise RejectedError(f"Omie: {message}", erp_message=message,
                                erp_code=str(data.get(status_key)))
        return data

    def pages(self, service: str, method: str, param: dict, list_key: str,
              start_page: int = 1) -> Iterator[tuple[int, list]]:
        """(page, rows) until `total_de_paginas`; fault Client-5113 = nothing (more) to read."""
        page = start_page
        while True:
            data = self.call(service, method, {**param, "pagina": page,
                                               "registros_por_pagina": self.page_size})
            if fault_code(data) == END_OF_LIST:
                return
            yield page, data.get(list_key) or []
            if page >= int(data.get("total_de_paginas") or 0):
                return
            page += 1

    @staticmethod
    def changed_filter(since: datetime | None, until: datetime) -> dict:
        """Records included or changed in [since, until], in Omie's local date/time fields."""
        if since is None:
            return {}
        start, end = to_erp_local(since), to_erp_local(until)
        return {"filtrar_por_data_de": start.strftime("%d/%m/%Y"),
                "filtrar_por_hora_de": start.strftime("%H:%M:%S"),
                "filtrar_por_data_ate": end.strftime("%d/%m/%Y"),
                "filtrar_por_hora_ate": end.strftime("%H:%M:%S")}

    def products_by_sku(self, skus: list[str]) -> dict[str, dict]:
        data = self.call("geral/produtos", "ListarProdutos", {
            "pagina": 1, "registros_por_pagina": max(len(skus), 1),
            "produtosPorCodigo": [{"codigo": sku} for sku in skus]})
        rows = [] if fault_code(data) == END_OF_LIST else data.get("produto_servico_cadastro", [])
        return {row["codigo"]: row for row in rows if row.get("codigo") in skus}

    def customers(self, ids: set[int]) -> dict[int, dict]:
        if not ids:
            return {}
        data = self.call("geral/clientes", "ListarClientes", {
            "pagina": 1, "registros_por_pagina": len(ids),
            "clientesPorCodigo": [{"codigo_cliente_omie": i} for i in sorted(ids)]})
        rows = [] if fault_code(data) == END_OF_LIST else data.get("clientes_cadastro", [])
        return {row["codigo_cliente_omie"]: row for row in rows}
