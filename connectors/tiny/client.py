"""Tiny ERP API v2 over HTTP — the only module that speaks Tiny's protocol.

- One endpoint per operation under the base URL (`produtos.pesquisa.php`, ...), POSTed as a
  form with `token` and `formato=json` (in the body, never in a URL a log could keep).
- Every answer is HTTP 200 `{"retorno": ...}`; `status: "Erro"` + `codigo_erro` is classified
  here: 20/23 (no rows / no such page) end a list, 6/11 are Tiny's rate limit, 1/2 bad token.
- The governor keeps the plan's calls per minute (30/60/120, configurable).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import httpx

from ..sdk.context import Context
from ..sdk.errors import AuthError, ConnectorError, RateLimitedError, RejectedError, \
    RetryableError
from ..sdk.governor import Rule
from ..sdk.http import classify_status, json_body
from ..sdk.values import to_erp_local

END_OF_LIST = {20, 23}
AUTH_CODES = {1, 2, 5, 8}
BUSY_CODES = {35, 99}
READS = ("pesquisa", "obter", "lista.", "info")
EVERYTHING_SINCE = "01/01/2000"  # pedidos.pesquisa wants at least one filter


def error_code(retorno: dict) -> int | None:
    if retorno.get("status") != "Erro":
        return None
    try:
        return int(retorno.get("codigo_erro"))
    except (TypeError, ValueError):
        return -1


def erp_message(retorno: dict) -> str:
    errors = retorno.get("erros") or []
    if isinstance(errors, dict):
        errors = [errors]
    parts = []
    for item in errors:
        entry = item.get("erro", item) if isinstance(item, dict) else item
        text = entry if isinstance(entry, str) else json.dumps(entry, ensure_ascii=False)
        field = item.get("campo") if isinstance(item, dict) else None
        parts.append(f"{text} ({field})" if field else text)
    return "; ".join(parts) or "Erro sem descrição"


def classify(response: httpx.Response) -> ConnectorError | None:
    body = json_body(response)
    retorno = body.get("retorno") if isinstance(body, dict) else None
    if not isinstance(retorno, dict):
        return classify_status(response) or RetryableError(
            "Tiny answered something that is not its JSON envelope.", status=response.status_code)
    code = error_code(retorno)
    if code is None or code in END_OF_LIST:
        return None
    message = erp_message(retorno)
    common = {"erp_message": message, "erp_code": code, "status": response.status_code}
    if code == 6:
        return RateLimitedError(f"Tiny's per-minute limit was reached: {message}",
                                retry_after=60.0, **common)
    if code == 11:
        return RateLimitedError(f"Too many simultaneous calls to Tiny: {message}",
                                retry_after=2.0, **common)
    if code in AUTH_CODES:
        return AuthError(f"Tiny refused the token: {message}", **common)
    if code in BUSY_CODES:
        return RetryableError(f"Tiny is unavailable: {message}", retry_after=60.0, **common)
    return RejectedError(f"Tiny: {message}", **common)


class TinyClient:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        config = ctx.config
        self.rules = (Rule(f"{ctx.account}:minute", config["calls_per_minute"],
                           60.0 + config["rate_margin_seconds"]),)

    def call(self, operation: str, params: dict | None = None) -> dict:
        """The `retorno` object of one operation (errors raised, end-of-list returned)."""
        form = {"token": self.ctx.credentials["token"], "formato": "json"}
        for name, value in (params or {}).items():
            form[name] = value if isinstance(value, str) else json.dumps(value, default=str)
        response = self.ctx.http.request("POST", operation, data=form, rules=self.rules,
                                         idempotent=any(part in operation for part in READS),
                                         classify=classify)
        return json_body(response)["retorno"]

    def pages(self, operation: str, params: dict, list_key: str,
              start_page: int = 1) -> Iterator[tuple[int, list]]:
        """(page, rows) until `numero_paginas`; codigo_erro 20/23 = nothing (more) to read."""
        page = start_page
        while True:
            retorno = self.call(operation, {**params, "pagina": str(page)})
            if error_code(retorno) in END_OF_LIST:
                return
            yield page, retorno.get(list_key) or []
            if page >= int(retorno.get("numero_paginas") or 0):
                return
            page += 1

    def product_by_sku(self, sku: str) -> dict | None:
        """`pesquisa` is a text search: keep only the exact SKU."""
        for _, rows in self.pages("produtos.pesquisa.php", {"pesquisa": sku}, "produtos"):
            for row in rows:
                if row["produto"].get("codigo") == sku:
                    return row["produto"]
        return None

    @staticmethod
    def local_datetime(moment: datetime) -> str:
        """Tiny's dd/mm/yyyy hh:mm:ss, in Brasília time."""
        return to_erp_local(moment).strftime("%d/%m/%Y %H:%M:%S")
