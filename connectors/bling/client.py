"""Bling API v3 over HTTP — the only module that speaks Bling's protocol.

- Bearer access tokens; an expired/invalid one is refreshed once (rotating refresh token, new
  pair handed to the platform through ctx.save_credentials) and the call retried.
- Every request goes through the account's governor: 3 requests/s and 120,000/day.
- Lists page with `pagina`/`limite` until a page shorter than `limite` (Bling has no totals).
- Errors `{"error":{"type","message","description","fields"}}` become SDK errors that carry
  Bling's own words.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx

from ..sdk.context import Context
from ..sdk.errors import AuthError, ConnectorError, RateLimitedError, TokenExpiredError
from ..sdk.governor import Rule
from ..sdk.http import classify_status, json_body
from ..sdk.values import BRASILIA, dumps_json, iso, parse_iso, to_erp_local

AUTH_TYPES = {"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
              "insufficient_scope", "UNAUTHORIZED", "UNAUTHENTICATED", "FORBIDDEN",
              "INVALID_APIKEY_ERROR"}
DATETIME = "%Y-%m-%d %H:%M:%S"
REFRESH_EARLY = timedelta(seconds=60)


def erp_message(error: dict) -> str:
    """Bling's description plus every field message, as one line for the seller."""
    parts = []
    for field in error.get("fields") or []:
        text = field.get("msg", "").strip()
        details = [item.get("msg", "").strip() for item in field.get("collection") or []]
        parts.append(f"{text}: {'; '.join(details)}" if details else text)
    description = (error.get("description") or error.get("message") or "").strip()
    return " ".join(p for p in [description, "; ".join(p for p in parts if p)] if p)


def classify(response: httpx.Response) -> ConnectorError | None:
    if response.status_code < 400:
        return None
    body = json_body(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):  # e.g. an empty 403 body, an HTML 502 page
        return classify_status(response)
    kind, message = error.get("type", ""), erp_message(error)
    common = {"erp_message": message, "erp_code": kind, "status": response.status_code}
    if response.status_code == 401 or kind == "invalid_token":
        return TokenExpiredError(f"Bling refused the access token: {message}", **common)
    if kind in AUTH_TYPES:
        return AuthError(f"Bling refused the credentials: {message}", **common)
    if response.status_code == 429:
        return RateLimitedError(f"Bling's rate limit was reached: {message}",
                                retry_after=_retry_after(error.get("period")), **common)
    return classify_status(response, f"Bling: {error.get('message') or kind}: {message}",
                           erp_message=message, erp_code=kind)


def _retry_after(period: str | None) -> float:
    if period != "day":
        return 1.0
    now = datetime.now(BRASILIA)
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()


class BlingClient:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        config = ctx.config
        margin = config["rate_margin_seconds"]
        self.rules = (Rule(f"{ctx.account}:second", config["requests_per_second"], 1.0 + margin),
                      Rule(f"{ctx.account}:day", config["requests_per_day"], 86400.0 + margin))
        self.page_size = config["page_size"]
        self._default_deposit: int | None = config.get("deposit_id") or None

    # -- OAuth token endpoint ----------------------------------------------------------------
    def exchange_code(self, code: str, redirect_uri: str | None = None) -> dict:
        form = {"grant_type": "authorization_code", "code": code}
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        return self._token(form)

    def refresh(self) -> dict:
        refresh_token = self.ctx.credentials.get("refresh_token")
        if not refresh_token:
            raise AuthError("Bling is not connected yet: authorize the app first.")
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def _token(self, form: dict) -> dict:
        credentials = self.ctx.credentials
        response = self.ctx.http.request(
            "POST", "oauth/token", data=form, classify=_token_classify, rules=self.rules,
            auth=(credentials["client_id"], credentials["client_secret"]),
            headers={"Accept": "1.0", "enable-jwt": "1"})
        body = json_body(response) or {}
        expires = self.ctx.clock() + timedelta(seconds=int(body.get("expires_in", 21600)))
        tokens = {"access_token": body["access_token"], "refresh_token": body["refresh_token"],
                  "expires_at": iso(expires)}
        self.ctx.save_credentials(tokens)  # rotated: the old refresh token is dead already
        return tokens

    # -- API calls ---------------------------------------------------------------------------
    def call(self, method: str, path: str, *, params: Any = None, body: Any = None) -> Any:
        """One API call; an expired access token is refreshed once and the call retried."""
        refreshed = self._expiring()
        if refreshed:
            self.refresh()
        while True:
            try:
                return self._call(method, path, params, body)
            except TokenExpiredError as error:
                if refreshed:
                    raise AuthError("Bling refused a freshly refreshed access token.",
                                    erp_message=error.erp_message, erp_code=error.erp_code,
                                    status=error.status) from error
            self.refresh()
            refreshed = True

    def _expiring(self) -> bool:
        expires_at = self.ctx.credentials.get("expires_at")
        return bool(expires_at) and parse_iso(expires_at) - REFRESH_EARLY <= self.ctx.clock()

    def _call(self, method, path, params, body) -> Any:
        token = self.ctx.credentials.get("access_token")
        if not token:
            raise AuthError("Bling is not connected yet: authorize the app first.")
        headers = {"Authorization": f"Bearer {token}", "enable-jwt": "1"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.ctx.http.request(method, path, params=params, headers=headers,
                                         content=None if body is None else dumps_json(body),
                                         rules=self.rules, classify=classify)
        return json_body(response) if response.content else None

    def pages(self, path: str, params: dict, start_page: int = 1) -> Iterator[tuple[int, list]]:
        """(page number, rows) to the end: Bling signals it with a short or empty page."""
        page = start_page
        while True:
            rows = self.call("GET", path, params={**params, "pagina": page,
                                                  "limite": self.page_size})["data"]
            yield page, rows
            if len(rows) < self.page_size:
                return
            page += 1

    @staticmethod
    def changed_filter(since: datetime | None, until: datetime) -> dict:
        """dataAlteracao filters in Bling's local time. Bling refuses ranges over a year, and
        a checkpoint that old means a full read anyway."""
        if since is None or until - since > timedelta(days=365):
            return {}
        return {"dataAlteracaoInicial": to_erp_local(since).strftime(DATETIME),
                "dataAlteracaoFinal": to_erp_local(until).strftime(DATETIME)}

    def default_deposit(self) -> int:
        if self._default_deposit is None:
            deposits = self.call("GET", "depositos", params={"situacao": 1})["data"]
            fallback = deposits[0] if deposits else None
            chosen = next((d for d in deposits if d.get("padrao")), fallback)
            if chosen is None:
                raise AuthError("The Bling account has no active deposit.")
            self._default_deposit = chosen["id"]
        return self._default_deposit

    def products_by_sku(self, skus: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(skus), self.page_size):
            chunk = skus[start:start + self.page_size]
            rows = self.call("GET", "produtos", params={"codigos[]": chunk, "criterio": 5,
                                                        "limite": self.page_size})["data"]
            found.update({row["codigo"]: row for row in rows if row.get("codigo") in chunk})
        return found


def _token_classify(response: httpx.Response) -> ConnectorError | None:
    """At the token endpoint every refusal means the seller must reconnect (never refresh)."""
    error = classify(response)
    if isinstance(error, TokenExpiredError):
        return AuthError(error.message, erp_message=error.erp_message, erp_code=error.erp_code,
                         status=error.status)
    if error is not None and response.status_code == 400:
        return AuthError(f"Bling refused the authorization: {error.erp_message}",
                         erp_message=error.erp_message, erp_code=error.erp_code, status=400)
    return error
