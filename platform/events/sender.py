"""One attempt: sign, POST (no redirects, through the SSRF guard), read at most the first KB of the
answer, and classify the outcome. Touches no database, so many attempts can run in threads.

Outcomes: 2xx `succeeded`; 410 `gone` (the endpoint is disabled at once); timeouts, connection
errors, 429, 5xx and — like Svix — every other non-2xx `retry` (a receiver's 400/401/404 is
usually a deploy or configuration slip fixed within the retry window, and retrying costs only a
request); a payload above the cap `fatal` (retrying cannot help); a disabled endpoint `refused`.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from ..db import utcnow
from ..settings import Settings
from . import payload, signing
from .claims import Claim
from .retry import parse_retry_after
from .ssrf import UnsafeURLError

USER_AGENT = "MarketHub-Webhooks/1.0 (+https://www.standardwebhooks.com)"


@dataclass
class AttemptResult:
    claim: Claim
    outcome: str  # succeeded | retry | gone | fatal | refused
    started_at: datetime = field(default_factory=utcnow)
    request_headers: dict = field(default_factory=dict)
    request_body: str = ""
    status: int | None = None
    response_body: str | None = None
    truncated: bool = False
    latency_ms: float | None = None
    error: str | None = None
    retry_after: float | None = None


def _classify(status: int) -> str:
    if 200 <= status < 300:
        return "succeeded"
    return "gone" if status == 410 else "retry"


def _status_error(response: httpx.Response, status: int) -> str | None:
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return (f"HTTP {status}: redirects are not followed "
                f"(Location: {response.headers.get('location', '-')}).")
    if status == 410:
        return "HTTP 410 Gone: the endpoint is disabled."
    return f"HTTP {status}."


def _read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    body = b""
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > cap:
            return body[:cap], True
    return body, False


@functools.lru_cache(maxsize=4096)
def _parsed(url: str) -> httpx.URL:
    return httpx.URL(url)  # parsing is a tenth of a request's CPU: do it once per endpoint URL


def _post(client: httpx.Client, settings: Settings, result: AttemptResult, body: bytes) -> None:
    started = time.perf_counter()
    try:
        with client.stream("POST", _parsed(result.claim.target.url), content=body,
                           headers=list(result.request_headers.items())) as response:
            raw, result.truncated = _read_capped(response, settings.webhook_response_body_bytes)
            result.status = response.status_code
            result.response_body = raw.decode("utf-8", errors="replace")
            result.outcome = _classify(response.status_code)
            result.error = _status_error(response, response.status_code)
            if result.outcome == "retry":
                result.retry_after = parse_retry_after(response.headers.get("retry-after"))
    except UnsafeURLError as error:
        result.outcome, result.error = "retry", f"Refused by the SSRF guard: {error.message}"
    except httpx.TimeoutException as error:
        result.outcome = "retry"
        result.error = (f"Timed out after {settings.webhook_timeout_seconds:g} s "
                        f"({type(error).__name__}).")
    except httpx.HTTPError as error:
        result.outcome = "retry"
        result.error = f"Connection failed ({type(error).__name__}): {error}"
    result.latency_ms = round((time.perf_counter() - started) * 1000, 3)


def send(client: httpx.Client, settings: Settings, claim: Claim) -> AttemptResult:
    result = AttemptResult(claim, outcome="retry")
    if claim.target.refusal:
        result.outcome, result.error = "refused", claim.target.refusal
        return result
    if claim.target.unavailable:
        result.error = claim.target.unavailable  # outcome stays "retry"
        return result
    body = payload.encode(payload.envelope(claim.event_id, claim.event_type,
                                           claim.event_created_at, claim.tenant_id, claim.data))
    if len(body) > settings.webhook_max_payload_bytes:
        result.outcome = "fatal"
        result.error = payload.too_large_message(len(body), settings.webhook_max_payload_bytes,
                                                 claim.event_id)
        return result
    result.request_body = body.decode()
    result.request_headers = {
        "content-type": "application/json", "user-agent": USER_AGENT,
        **signing.headers(list(claim.target.secrets), claim.event_id, int(time.time()), body)}
    _post(client, settings, result, body)
    return result
