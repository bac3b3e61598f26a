"""Bling's OAuth flow, token refresh, bad credentials and rate limits — over real HTTP, with
the traffic checked against the official spec."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from bling_openapi import Recorder, validate

from markethub.connectors.bling import CONNECTOR
from markethub.connectors.bling.sandbox import DEMO_APP, BlingLimits, create_app
from markethub.connectors.sandbox_kit.connect import CALLBACK, authorize_bling
from markethub.connectors.sdk import Governor, open_session
from markethub.connectors.sdk.errors import AuthError, RateLimitedError

FAST = {"requests_per_second": 1000}
BASIC = "Basic " + base64.b64encode(
    f"{DEMO_APP.client_id}:{DEMO_APP.client_secret}".encode()).decode()


@pytest.fixture
def bling(start_sandbox):
    started = []

    def start(**options):
        recorder = Recorder(create_app(**{"rate_limit": False, "products": 120, "orders": 4,
                                          **options}))
        running = start_sandbox("bling", app=recorder)
        started.append((running, recorder))
        return running

    yield start
    for running, recorder in started:
        validate(recorder, running.url)


def new_session(running, saved: list, **config):
    return open_session(CONNECTOR, {"client_id": DEMO_APP.client_id,
                                    "client_secret": DEMO_APP.client_secret},
                        config={"base_url": f"{running.url}/Api/v3",
                                "authorize_url": f"{running.url}/Api/v3/oauth/authorize",
                                **FAST, **config},
                        on_credentials=saved.append, governor=Governor())


def code_from(running, url: str, decision: str = "allow") -> dict:
    with httpx.Client(base_url=running.url) as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "Autorizar" in page.text
        answer = browser.post(url.split("?")[0], data={
            "client_id": DEMO_APP.client_id, "state": "xyz", "redirect_uri": CALLBACK,
            "decision": decision})
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlparse(answer.headers["location"]).query).items()}


# -- OAuth -----------------------------------------------------------------------------------
def test_authorization_code_flow_connects_and_hands_the_tokens_to_the_platform(bling):
    running = bling()
    saved = []
    session = new_session(running, saved)
    url = session.authorize_url("xyz", CALLBACK)
    assert url.startswith(f"{running.url}/Api/v3/oauth/authorize?response_type=code&client_id=")
    back = code_from(running, url)
    assert back["state"] == "xyz"
    credentials = session.exchange_code(back["code"], CALLBACK)
    assert saved[-1] == credentials and credentials["access_token"] and credentials["company_id"]
    assert session.test()["label"] == "Loja Sandbox Comércio Ltda"
    token_call = [c for c in running.calls("/Api/v3/oauth/token")][0]
    assert token_call["body"] == {"grant_type": "authorization_code", "code": back["code"],
                                  "redirect_uri": CALLBACK}


def test_a_denied_authorization_comes_back_as_an_error_with_the_state(bling):
    running = bling()
    session = new_session(running, [])
    back = code_from(running, session.authorize_url("xyz", CALLBACK), decision="deny")
    assert back["error"] == "access_denied" and back["state"] == "xyz" and "code" not in back


def test_a_reused_code_is_refused_and_revokes_what_it_issued(bling):
    running = bling()
    session = new_session(running, [])
    code = code_from(running, session.authorize_url("xyz", CALLBACK))["code"]
    session.exchange_code(code, CALLBACK)
    with pytest.raises(AuthError) as caught:
        session.exchange_code(code, CALLBACK)
    assert caught.value.erp_code == "VALIDATION_ERROR"
    with pytest.raises(AuthError):
        session.test()  # access revoked, and its refresh token with it


def test_bad_client_credentials_are_an_auth_error_and_nothing_is_saved(bling):
    running = bling()
    saved = []
    session = open_session(CONNECTOR, {"client_id": DEMO_APP.client_id, "client_secret": "wrong"},
                           config={"base_url": f"{running.url}/Api/v3"},
                           on_credentials=saved.append)
    url = f"{running.url}/Api/v3/oauth/authorize?response_type=code&client_id=" \
          f"{DEMO_APP.client_id}&state=xyz&redirect_uri={CALLBACK}"
    code = code_from(running, url)["code"]
    with pytest.raises(AuthError) as caught:
        session.exchange_code(code, CALLBACK)
    assert caught.value.erp_code == "invalid_client" and saved == []


def test_a_bad_access_token_without_a_refresh_token_is_an_auth_error(bling):
    running = bling()
    session = open_session(CONNECTOR, {"client_id": "x", "client_secret": "y",
                                       "access_token": "nope"},
                           config={"base_url": f"{running.url}/Api/v3"})
    with pytest.raises(AuthError, match="authorize the app first"):
        session.test()
    assert [c["status"] for c in running.calls("/Api/v3/")] == [401]


# -- token refresh ---------------------------------------------------------------------------------
def test_an_expired_token_is_refreshed_once_and_the_rotated_pair_handed_back(bling):
    running = bling()
    saved = []
    session = new_session(running, saved)
    authorize_bling(session, running.url)
    old = dict(session.credentials)
    running.http.post("/__sandbox/expire-tokens").raise_for_status()
    running.clear_calls()
    products = [r for page in session.sync("sync_products") for r in page.records]
    assert len(products) == 120
    statuses = [(c["path"].rsplit("/", 1)[-1], c["status"]) for c in running.calls("/Api/v3/")]
    assert statuses[:3] == [("produtos", 401), ("token", 200), ("produtos", 200)]
    new = saved[-1]
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] != old["refresh_token"]
    # rotation: the old refresh token is dead
    answer = httpx.post(f"{running.url}/Api/v3/oauth/token", headers={"Authorization": BASIC},
                        data={"grant_type": "refresh_token", "refresh_token": old["refresh_token"]})
    assert answer.status_code == 400 and answer.json()["error"]["type"] == "invalid_grant"


def test_a_refused_refresh_is_an_auth_error_not_a_loop(bling):
    running = bling()
    session = new_session(running, [])
    authorize_bling(session, running.url)
    session.ctx.credentials["refresh_token"] = "revoked"
    running.http.post("/__sandbox/expire-tokens").raise_for_status()
    running.clear_calls()
    with pytest.raises(AuthError) as caught:
        session.test()
    assert caught.value.erp_code == "invalid_grant"
    assert [c["status"] for c in running.calls("/Api/v3/")] == [401, 400]


# -- rate limits ---------------------------------------------------------------------------------
TOO_MANY = ('{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite de requisições atingido.",'
            '"description":"O limite de requisições por segundo foi atingido, tente novamente '
            'mais tarde.","limit":3,"period":"second"}}').encode()


def test_over_the_limit_bling_answers_its_own_429_byte_for_byte(bling):
    running = bling(rate_limit=True)
    session = new_session(running, [])
    authorize_bling(session, running.url)
    headers = {"Authorization": f"Bearer {session.credentials['access_token']}"}
    answers = [httpx.get(f"{running.url}/Api/v3/produtos", headers=headers) for _ in range(5)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and refused[0].content == TOO_MANY
    assert refused[0].headers["content-type"] == "application/json"


def test_the_governed_client_never_trips_blings_limit(bling):
    running = bling(rate_limit=True, products=250)
    session = new_session(running, [], requests_per_second=3)
    authorize_bling(session, running.url)
    running.clear_calls()
    synced = [r for page in session.sync("sync_products") for r in page.records]
    session.run("update_stock", {"sku": "CAM-00001", "quantity": "5"})
    calls = running.calls("/Api/v3/")
    assert len(synced) == 250 and len(calls) >= 7
    assert all(c["status"] != 429 for c in calls)
    arrived = [datetime.fromisoformat(c["time"]) for c in calls]
    assert all((arrived[i + 3] - arrived[i]).total_seconds() >= 1.0  # 3 per second, never 4
               for i in range(len(arrived) - 3))


def test_a_client_that_goes_too_fast_backs_off_on_blings_429(bling):
    running = bling(rate_limit=True, products=250)
    session = new_session(running, [], requests_per_second=50)  # misconfigured on purpose
    authorize_bling(session, running.url)
    running.clear_calls()
    synced = [r for page in session.sync("sync_products") for r in page.records]
    statuses = [c["status"] for c in running.calls("/Api/v3/produtos")]
    assert len(synced) == 250  # nothing lost: the refused requests were sent again
    assert 429 in statuses and statuses.count(200) == 3


def test_the_daily_limit_is_raised_for_the_platform_to_retry_tomorrow(bling):
    running = bling(rate_limit=BlingLimits(per_second=100, per_day=2))
    session = new_session(running, [], requests_per_day=1000)
    authorize_bling(session, running.url)  # 1 API call (the company): 1 left today
    with pytest.raises(RateLimitedError) as caught:
        list(session.sync("sync_products"))  # needs 2
    assert caught.value.retry_after > 5 and caught.value.erp_code == "TOO_MANY_REQUESTS"
    assert [c["status"] for c in running.calls("/Api/v3/produtos")] == [200, 429]
    answer = httpx.get(f"{running.url}/Api/v3/produtos",
                       headers={"Authorization": f"Bearer {session.credentials['access_token']}"})
    assert answer.status_code == 429
    assert json.loads(answer.content)["error"] == {
        "type": "TOO_MANY_REQUESTS", "message": "Limite de requisições atingido.",
        "description": "O limite de requisições por dia foi atingido, tente novamente mais tarde.",
        "limit": 2, "period": "day"}


# -- the spec check itself can fail --------------------------------------------------------------
def test_the_spec_check_catches_an_answer_that_breaks_the_spec(start_sandbox):
    from flask import Flask

    app = Flask("broken")

    @app.get("/Api/v3/produtos")
    def broken():
        return {"data": [{"id": "not-an-integer", "nome": "X", "tipo": "P", "situacao": "Z",
                          "formato": "S"}]}

    recorder = Recorder(app)
    running = start_sandbox("bling", app=recorder)
    httpx.get(f"{running.url}/Api/v3/produtos")
    with pytest.raises(Exception, match="validation|invalid|Invalid"):
        validate(recorder, running.url)


def test_an_authorization_code_lives_one_minute(bling):
    running = bling()
    session = new_session(running, [])
    code = code_from(running, session.authorize_url("xyz", CALLBACK))["code"]
    state = running.app.app.config["SANDBOX_STATE"]  # the Recorder wraps the Flask app
    real_clock = state.clock
    state.clock = lambda: real_clock() + 61
    try:
        with pytest.raises(AuthError) as caught:
            session.exchange_code(code, CALLBACK)
    finally:
        state.clock = real_clock
    assert caught.value.erp_message == "The authorization code has expired"


def test_access_tokens_live_six_hours_and_refresh_tokens_rotate(bling):
    running = bling()
    saved = []
    session = new_session(running, saved)
    authorize_bling(session, running.url)
    token = running.calls("/Api/v3/oauth/token")[0]
    assert token["status"] == 200
    answer = httpx.post(f"{running.url}/Api/v3/oauth/token", headers={"Authorization": BASIC},
                        data={"grant_type": "refresh_token",
                              "refresh_token": session.credentials["refresh_token"]}).json()
    assert answer["expires_in"] == 21600 and answer["token_type"] == "Bearer"
    assert answer["refresh_token"] != session.credentials["refresh_token"]


def test_a_token_about_to_expire_is_refreshed_before_the_call(bling):
    running = bling()
    saved = []
    session = new_session(running, saved)
    authorize_bling(session, running.url)
    session.ctx.credentials["expires_at"] = "2020-01-01T00:00:00Z"
    running.clear_calls()
    session.test()
    assert [c["path"].rsplit("/", 1)[-1] for c in running.calls("/Api/v3/")] == \
        ["token", "dados-basicos"]
    expires = datetime.fromisoformat(saved[-1]["expires_at"].replace("Z", "+00:00"))
    assert expires > datetime.now(timezone.utc) + timedelta(hours=5)  # Bling's 6 h
