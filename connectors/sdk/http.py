"""The one HTTP helper every connector client uses.

- one reused `httpx.Client` (connection pooling), explicit timeouts;
- every attempt goes through the account's `Governor` first (rules + concurrency slot);
- errors are classified once, here: 429/5xx/timeouts -> RetryableError (with `retry_after`),
  401/403 -> AuthError, other 4xx -> RejectedError/FatalError. A client whose ERP hides errors
  in 200 answers (Tiny, Omie) passes its own `classify` that reads the envelope first;
- `Retry-After` is honoured: short waits are slept here and the request retried, long ones are
  raised as RetryableError so the platform reschedules the job;
- `requests` counts every request put on the wire (sync runs report it).

Nothing here logs a URL query or body: ERP credentials travel in them (Tiny `token`, Omie keys).
"""
from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import httpx

from .errors import (AuthError, ConnectorError, FatalError, RateLimitedError, RejectedError,
                     RetryableError, UnreachableError)
from .governor import Concurrency, Governor, Rule

log = logging.getLogger("markethub.connectors.http")

Classifier = Callable[[httpx.Response], "ConnectorError | None"]
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
REJECTED_STATUSES = frozenset({400, 404, 409, 422})


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON body (decimals kept exact), or None when the body is not JSON."""
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None


def classify_status(response: httpx.Response, message: str | None = None,
                    erp_message: str | None = None,
                    erp_code: str | int | None = None) -> ConnectorError | None:
    """The default classification by HTTP status alone (None = success)."""
    status = response.status_code
    if status < 400:
        return None
    erp = {"erp_message": erp_message, "erp_code": erp_code, "status": status}
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 429:
        return RateLimitedError(message or "The ERP's rate limit was exceeded.",
                                retry_after=retry_after, **erp)
    if status >= 500 or status == 408:
        return RetryableError(message or f"The ERP answered HTTP {status}.",
                              retry_after=retry_after, **erp)
    if status in (401, 403):
        return AuthError(message or "The ERP refused the credentials.", **erp)
    if status in REJECTED_STATUSES:
        return RejectedError(message or f"The ERP refused the request (HTTP {status}).", **erp)
    return FatalError(message or f"The ERP answered HTTP {status}.", **erp)


class Http:
    def __init__(self, base_url: str, *, governor: Governor | None = None,
                 client: httpx.Client | None = None, timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 max_retries: int = 2, max_inline_wait: float = 5.0, sleep=time.sleep,
                 headers: dict[str, str] | None = None):
        self.base_url = base_url.rstrip("/") + "/"
        self.governor = governor
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._owns_client = client is None
        self._headers = {"User-Agent": "MarketHub-Integrations/1.0", **(headers or {})}
        self.max_retries = max_retries
        self.max_inline_wait = max_inline_wait
        self._sleep = sleep
        self.requests = 0

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + path.lstrip("/")

    def request(self, method: str, path: str, *, rules: Sequence[Rule] = (),
                concurrency: Concurrency | None = None, idempotent: bool | None = None,
                classify: Classifier = classify_status, **kwargs) -> httpx.Response:
        """Send one request (retrying short, safe retries) and return the successful response,
        or raise the classified ConnectorError."""
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        headers = {**self._headers, **kwargs.pop("headers", {})}
        for attempt in range(self.max_retries + 1):
            try:
                response = self._send(method, path, rules, concurrency, headers, kwargs)
            except UnreachableError as error:
                if attempt < self.max_retries and (idempotent or error.details == "connect"):
                    self._sleep(min(2 ** attempt, self.max_inline_wait))
                    continue
                raise
            error = classify(response)
            if error is None:
                return response
            if not self._retry_inline(error, idempotent, attempt):
                raise error
            self._sleep(error.retry_after if error.retry_after is not None else 2 ** attempt)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _retry_inline(self, error: ConnectorError, idempotent: bool, attempt: int) -> bool:
        if not isinstance(error, RetryableError) or attempt >= self.max_retries:
            return False
        if error.retry_after is not None and error.retry_after > self.max_inline_wait:
            return False
        # A 429 was not processed, so even a POST is safe to send again.
        return idempotent or isinstance(error, RateLimitedError)

    def _send(self, method, path, rules, concurrency, headers, kwargs) -> httpx.Response:
        url = self.url(path)
        governor = self.governor
        with governor.slot(rules, concurrency) if governor else _no_slot():
            started = time.monotonic()
            self.requests += 1
            try:
                response = self._client.request(method, url, headers=headers, **kwargs)
            except httpx.ConnectError as exc:
                raise UnreachableError(f"Could not connect to the ERP ({exc.__class__.__name__}).",
                                       details="connect") from exc
            except httpx.TimeoutException as exc:
                raise UnreachableError(f"The ERP did not answer in time ({type(exc).__name__}).",
                                       details="timeout") from exc
            except httpx.TransportError as exc:
                raise UnreachableError(f"Network error with the ERP ({type(exc).__name__}).",
                                       details="transport") from exc
        log.debug("erp request", extra={"method": method, "path": httpx.URL(url).path,
                                        "status": response.status_code,
                                        "ms": round((time.monotonic() - started) * 1000, 1)})
        return response

    def close(self) -> None:
        if self._owns_client:
            self._client.close()


class _no_slot:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
