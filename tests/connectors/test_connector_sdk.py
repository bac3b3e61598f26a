"""The SDK's moving parts: the governor's windows, the HTTP helper's classification and
Retry-After handling (against a real local server), polling dedupe, secrets, exact values."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from werkzeug.wrappers import Request, Response

from markethub.connectors.sandbox_kit.server import BackgroundServer
from markethub.connectors.sdk import credentials
from markethub.connectors.sdk.documents import document_type, is_gtin
from markethub.connectors.sdk.errors import (AuthError, FatalError, RateLimitedError,
                                             RejectedError, RetryableError, UnreachableError)
from markethub.connectors.sdk.governor import Concurrency, Governor, InProcessBackend, Rule
from markethub.connectors.sdk.http import Http, parse_retry_after
from markethub.connectors.sdk.polling import content_key, poll
from markethub.connectors.sdk.values import dumps_json, money, quantity, to_decimal


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


# -- governor ------------------------------------------------------------------------------------
def test_window_admits_the_limit_then_says_how_long_to_wait():
    clock = FakeClock()
    backend = InProcessBackend(clock=clock)
    rule = Rule("acct:second", 3, 1.0)
    assert [backend.reserve([rule]) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert backend.reserve([rule]) == pytest.approx(1.0)
    clock.now += 0.4
    assert backend.reserve([rule]) == pytest.approx(0.6)
    clock.now += 0.6
    assert backend.reserve([rule]) == 0.0


def test_reserve_is_all_or_nothing_across_rules():
    clock = FakeClock()
    backend = InProcessBackend(clock=clock)
    second, day = Rule("a:second", 10, 1.0), Rule("a:day", 2, 86400.0)
    assert backend.reserve([second, day]) == 0.0
    assert backend.reserve([second, day]) == 0.0
    assert backend.reserve([second, day]) > 80000  # the day is full...
    clock.now += 1.0
    # ...and the refused call did not use up the per-second budget
    assert all(backend.reserve([second]) == 0.0 for _ in range(10))


def test_governor_spaces_calls_and_never_exceeds_the_window():
    clock = FakeClock()
    governor = Governor(InProcessBackend(clock=clock), sleep=clock.sleep)
    rule = Rule("acct:second", 3, 1.0)
    stamps = []
    for _ in range(10):
        with governor.slot([rule]):
            stamps.append(clock.now)
    for index in range(3, len(stamps)):
        assert stamps[index] - stamps[index - 3] >= 1.0
    assert stamps[-1] - stamps[0] == pytest.approx(3.0)  # 10 calls at 3/s: as fast as allowed


def test_governor_refuses_rather_than_block_past_max_wait():
    clock = FakeClock()
    governor = Governor(InProcessBackend(clock=clock), sleep=clock.sleep, max_wait=5)
    rule = Rule("acct:minute", 1, 60.0)
    with governor.slot([rule]):
        pass
    with pytest.raises(RateLimitedError) as caught:
        with governor.slot([rule]):
            pass
    assert caught.value.retry_after == pytest.approx(60.0)


def test_concurrency_slots_are_shared_and_given_back():
    governor = Governor(max_wait=5)
    slot = Concurrency("acct:ListarProdutos", 2)
    inside, peak, lock = 0, 0, threading.Lock()

    def work():
        nonlocal inside, peak
        with governor.slot((), slot):
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2


# -- the HTTP helper, against a real server --------------------------------------------------
class Scripted:
    """A WSGI app answering from a script of (status, headers, body)."""

    def __init__(self):
        self.script: list[tuple[int, dict, bytes]] = []
        self.hits = 0

    def __call__(self, environ, start_response):
        Request(environ).get_data()
        self.hits += 1
        status, headers, body = self.script.pop(0) if self.script else (200, {}, b"{}")
        return Response(body, status=status, headers=headers)(environ, start_response)


@pytest.fixture
def scripted():
    app = Scripted()
    with BackgroundServer(app) as server:
        yield app, server.url


@pytest.mark.parametrize("status,error", [(429, RateLimitedError), (503, RetryableError),
                                          (401, AuthError), (403, AuthError),
                                          (404, RejectedError), (422, RejectedError),
                                          (405, FatalError)])
def test_statuses_are_classified_once(scripted, status, error):
    app, url = scripted
    app.script = [(status, {}, b"{}")] * 3
    http = Http(url, max_retries=0)
    with pytest.raises(error) as caught:
        http.request("GET", "x")
    assert caught.value.status == status
    assert http.requests == 1


def test_short_retry_after_is_slept_and_the_request_retried(scripted):
    app, url = scripted
    app.script = [(429, {"Retry-After": "1"}, b""), (200, {}, b'{"ok": true}')]
    slept = []
    http = Http(url, sleep=slept.append)
    assert http.request("POST", "x").json() == {"ok": True}  # a 429 was not processed: safe
    assert slept == [1.0] and http.requests == 2


def test_long_retry_after_is_raised_for_the_platform_to_reschedule(scripted):
    app, url = scripted
    app.script = [(503, {"Retry-After": "120"}, b"")]
    http = Http(url, sleep=lambda s: None)
    with pytest.raises(RetryableError) as caught:
        http.request("GET", "x")
    assert caught.value.retry_after == 120.0 and http.requests == 1


def test_a_5xx_on_a_non_idempotent_request_is_not_retried(scripted):
    app, url = scripted
    app.script = [(502, {}, b""), (200, {}, b"{}")]
    http = Http(url, sleep=lambda s: None)
    with pytest.raises(RetryableError):
        http.request("POST", "x")
    assert app.hits == 1


def test_unreachable_server_is_retryable_and_says_so():
    http = Http("http://127.0.0.1:9", sleep=lambda s: None, max_retries=1)
    with pytest.raises(UnreachableError) as caught:
        http.request("GET", "x")
    assert caught.value.retryable and http.requests == 2


def test_retry_after_http_date():
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    value = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 28 <= parse_retry_after(value) <= 30
    assert parse_retry_after("soon") is None


# -- polling, secrets, values ------------------------------------------------------------------
def test_polling_learns_first_then_emits_only_unseen_items():
    now = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    items = [{"external_id": "1"}, {"external_id": "2"}]
    seen_since = []

    def fetch(since):
        seen_since.append(since)
        return list(items)

    first = poll(fetch, lambda i: i["external_id"], None, now)
    assert first.items == [] and first.state["seen"] == ["1", "2"]
    items.append({"external_id": "3"})
    later = now + timedelta(minutes=5)
    second = poll(fetch, lambda i: i["external_id"], first.state, later)
    assert second.items == [{"external_id": "3"}]
    assert seen_since[1] == now - timedelta(minutes=2)  # cursor = the previous poll's start
    assert second.state["cursor"] == "2026-01-01T12:05:00Z"


def test_content_key_changes_with_the_content():
    a = {"external_id": "1", "price": "10.00"}
    assert content_key(a) == content_key(dict(a))
    assert content_key(a) != content_key({**a, "price": "11.00"})


def test_secrets_are_masked_and_a_returned_mask_keeps_them():
    schema = {"properties": {"client_id": {}, "client_secret": {}}, "secret": ["client_secret"]}
    stored = {"client_id": "abc", "client_secret": "s3cr3t"}
    shown = credentials.mask(schema, stored)
    assert shown == {"client_id": "abc", "client_secret": credentials.MASK}
    assert credentials.merge(schema, stored, {**shown, "client_id": "new"}) == \
        {"client_id": "new", "client_secret": "s3cr3t"}


def test_money_is_exact_and_json_numbers_keep_their_digits():
    assert money(to_decimal(19.9)) == "19.90"
    assert money(Decimal("99.90") * 2) == "199.80"
    assert quantity("12.000") == "12" and quantity("0.50") == "0.5"
    assert dumps_json({"valor": Decimal("0.10") + Decimal("0.20")}) == b'{"valor":0.30}'


def test_documents_have_their_check_digits_checked():
    assert document_type("529.982.247-25") == "cpf"
    assert document_type("11.222.333/0001-81") == "cnpj"
    assert document_type("529.982.247-24") is None
    assert is_gtin("7891000315507") and not is_gtin("7891000315508")


def test_http_client_is_reused_not_reopened(scripted):
    app, url = scripted
    client = httpx.Client()
    http = Http(url, client=client)
    for _ in range(3):
        http.request("GET", "x")
    http.close()
    assert not client.is_closed  # the caller's client stays the caller's
    client.close()


def test_bad_credentials_are_refused_without_echoing_the_secret():
    from markethub.connectors.sdk.errors import InvalidInputError
    from markethub.connectors.sdk.session import Session
    from markethub.connectors.tiny import CONNECTOR

    with pytest.raises(InvalidInputError) as caught:
        Session(CONNECTOR, {"token": "short"})
    assert "short" not in str(caught.value.to_dict())
    assert list(caught.value.fields) == ["token"]


def test_idle_one_off_buckets_are_forgotten():
    clock = FakeClock()
    backend = InProcessBackend(clock=clock)
    for number in range(InProcessBackend.SWEEP_EVERY - 1):
        backend.reserve([Rule(f"acct:ConsultarPedido:{number}", 1, 60.0)])
    clock.now += 61
    backend.reserve([Rule("acct:ListarPedidos", 240, 60.0)])  # the 1000th reservation sweeps
    assert list(backend._calls) == ["acct:ListarPedidos"]
