"""Per-tenant limits by plan (Redis), shared by all its keys; a per-client limit on tokens."""
from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from sqlalchemy import select

from markethub.platform.extensions import db
from markethub.platform.models import Customer

from api_helpers import call_as, error_code

CHEAP = "/v1/products?limit=1"


@pytest.fixture
def starter(make_account):
    return make_account(plan="starter")


def _spend(caller, times: int) -> list[int]:
    return [caller.get(CHEAP).status_code for _ in range(times)]


def test_starter_gets_429_on_the_101st_request(client, starter):
    caller = call_as(client, starter.headers)
    assert _spend(caller, 100) == [200] * 100

    response = caller.get(CHEAP)

    assert response.status_code == 429
    assert error_code(response) == "rate_limited"
    assert "100 requests per minute" in response.json["error"]["message"]
    assert response.json["error"]["request_id"] == response.headers["X-Request-Id"]
    # whole seconds, rounded up: at most the one-minute window and a second
    assert 0 < int(response.headers["Retry-After"]) <= 61
    assert response.headers["RateLimit-Limit"] == "100"
    assert response.headers["RateLimit-Remaining"] == "0"
    assert 0 <= int(response.headers["RateLimit-Reset"]) <= 61


def test_rate_limit_headers_count_down(client, starter):
    caller = call_as(client, starter.headers)

    first, second = caller.get(CHEAP), caller.get(CHEAP)

    assert first.headers["RateLimit-Limit"] == "100"
    assert int(first.headers["RateLimit-Remaining"]) == int(
        second.headers["RateLimit-Remaining"]) + 1
    assert "Retry-After" not in first.headers


def test_writes_and_reads_share_the_budget(client, app, starter):
    caller = call_as(client, starter.headers)
    _spend(caller, 99)

    assert caller.post("/v1/customers", json={"name": "Ana"}).status_code == 201
    assert caller.post("/v1/customers", json={"name": "Bia"}).status_code == 429
    with app.app_context():  # the refused write changed nothing
        names = db.session.execute(select(Customer.name).where(
            Customer.tenant_id == starter.tenant_id)).scalars().all()
    assert names == ["Ana"]


def test_budget_is_shared_by_the_tenants_keys(client, starter, make_api_key):
    first = call_as(client, starter.headers)
    second = call_as(client, make_api_key(starter))
    assert _spend(first, 60) + _spend(second, 40) == [200] * 100

    assert second.get(CHEAP).status_code == 429
    assert first.get(CHEAP).status_code == 429


def test_another_tenant_is_unaffected(client, starter, make_account):
    _spend(call_as(client, starter.headers), 101)
    neighbour = make_account(plan="starter")

    assert call_as(client, neighbour.headers).get(CHEAP).status_code == 200


def test_enterprise_is_unlimited(client, make_account):
    caller = call_as(client, make_account(plan="enterprise").headers)

    assert _spend(caller, 150) == [200] * 150


def test_unauthenticated_requests_are_401_not_429(client):
    assert client.get(CHEAP).status_code == 401


def _token(client, oauth):
    return client.post("/v1/auth/token", data={"grant_type": "client_credentials"},
                       headers=oauth.basic())


def test_token_endpoint_is_limited_per_client(client, app, make_account, make_oauth_client):
    limit = int(app.config["MH_SETTINGS"].rate_limit_token_endpoint.split("/")[0])
    account = make_account()
    busy, other = make_oauth_client(account), make_oauth_client(account)
    assert {_token(client, busy).status_code for _ in range(limit)} == {200}

    refused = _token(client, busy)

    assert refused.status_code == 429
    assert error_code(refused) == "rate_limited"
    assert "Retry-After" in refused.headers
    assert _token(client, other).status_code == 200


def test_token_limit_counts_form_body_clients_too(client, app, make_account, make_oauth_client):
    limit = int(app.config["MH_SETTINGS"].rate_limit_token_endpoint.split("/")[0])
    oauth = make_oauth_client(make_account())
    form = {"grant_type": "client_credentials", "client_id": oauth.client_id,
            "client_secret": oauth.secret}
    statuses = [client.post("/v1/auth/token", data=form).status_code for _ in range(limit + 1)]

    assert statuses == [200] * limit + [429]
    assert _token(client, oauth).status_code == 429  # the same client, now by Basic auth


# A separate process: the limiter is one extension shared by every app of a process, and pointing
# it at a dead Redis here would take the other tests' limits with it.
_OUTAGE_PROBE = """
import json, sys
from markethub.platform.app import create_app
from markethub.platform.settings import Settings
app = create_app(Settings(env="test", database_url=sys.argv[1], redis_url=sys.argv[2],
                          log_level="WARNING", _env_file=None))
response = app.test_client().get("/v1/products?limit=1",
                                 headers={"Authorization": "Bearer " + sys.argv[3]})
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def test_a_redis_outage_serves_requests_unlimited_and_says_so_in_the_log(settings, starter):
    with socket.socket() as probe:  # a port nothing listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"

    run = subprocess.run([sys.executable, "-c", _OUTAGE_PROBE, settings.database_url, dead_redis,
                          starter.api_key], capture_output=True, text=True, timeout=60)

    lines = run.stdout.strip().splitlines()
    assert run.returncode == 0, run.stderr[-2000:]
    answer = json.loads(lines[-1])
    assert answer["status"] == 200
    assert "RateLimit-Remaining" not in answer["headers"]  # nothing was counted
    warnings = [json.loads(line) for line in lines[:-1] if line.startswith("{")]
    assert any(entry["level"] == "WARNING" and "rate limit storage unreachable" in entry["message"]
               for entry in warnings), run.stdout[-2000:]
