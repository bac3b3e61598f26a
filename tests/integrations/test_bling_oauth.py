"""Connecting Bling through its authorization page: the state is stored server-side, bound to
its tenant and integration, single use and short lived; a refusal changes nothing; bad app
credentials put the integration in `error`."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
from erp_support import CREDENTIALS, authorize_bling, events
from jsonschema import Draft202012Validator

from markethub.platform.events.catalogue import BY_NAME


def _create_bling(api, **credentials) -> dict:
    answer = api.post("/v1/integrations", json={
        "provider": "bling", "credentials": {**CREDENTIALS["bling"], **credentials}})
    assert answer.status_code == 201, answer.json
    return answer.json


def _back(location: str) -> dict:
    parsed = urlparse(location)
    return {"path": parsed.path, **{k: v[0] for k, v in parse_qs(parsed.query).items()}}


def test_bling_connects_through_its_authorization_page(app, api, client, start_erp, account):
    start_erp("bling")
    created = _create_bling(api)
    assert created["status"] == "disconnected" and created["auth_kind"] == "oauth2"

    answer = authorize_bling(client, api, created["id"])

    assert answer.status_code == 303
    assert _back(answer.headers["location"]) == {
        "path": "/hub/integrations", "oauth": "connected", "integration": created["id"]}
    shown = api.get(f"/v1/integrations/{created['id']}").json
    assert shown["status"] == "connected" and shown["account_label"]
    assert shown["credentials"]["access_token"] == "--------"
    assert shown["credentials"]["refresh_token"] == "--------"
    assert shown["credentials"]["client_id"] == CREDENTIALS["bling"]["client_id"]
    (connected,) = events(app, account.tenant_id, "integration.connected")
    assert list(Draft202012Validator(BY_NAME["integration.connected"].schema)
                .iter_errors(connected.data)) == []


def test_a_state_works_once_and_a_forged_one_never(api, client, start_erp):
    start_erp("bling")
    created = _create_bling(api)
    started = api.post(f"/v1/integrations/{created['id']}/oauth/start").json["authorize_url"]
    state = parse_qs(urlparse(started).query)["state"][0]
    with httpx.Client() as browser:
        consent = browser.post(started.split("?")[0], data={
            "client_id": CREDENTIALS["bling"]["client_id"], "state": state,
            "redirect_uri": parse_qs(urlparse(started).query)["redirect_uri"][0],
            "decision": "allow"})
    callback = urlparse(consent.headers["location"])

    forged = client.get("/integrations/oauth/callback?state=forged&code=abc")
    first = client.get(f"{callback.path}?{callback.query}")
    replay = client.get(f"{callback.path}?{callback.query}")

    assert _back(forged.headers["location"])["reason"] == "invalid_state"
    assert _back(first.headers["location"])["oauth"] == "connected"
    assert _back(replay.headers["location"]) == {"path": "/hub/integrations", "oauth": "error",
                                                 "reason": "invalid_state"}
    assert api.get(f"/v1/integrations/{created['id']}").json["status"] == "connected"


def test_an_expired_state_is_refused(api, client, start_erp, erp_settings, monkeypatch):
    start_erp("bling")
    created = _create_bling(api)
    monkeypatch.setattr(erp_settings, "erp_oauth_state_ttl_seconds", 0)
    answer = authorize_bling(client, api, created["id"])
    assert _back(answer.headers["location"])["reason"] == "invalid_state"
    assert api.get(f"/v1/integrations/{created['id']}").json["status"] == "disconnected"


def test_a_seller_who_says_no_leaves_it_disconnected(app, api, client, start_erp, account):
    start_erp("bling")
    created = _create_bling(api)
    url = api.post(f"/v1/integrations/{created['id']}/oauth/start").json["authorize_url"]
    query = parse_qs(urlparse(url).query)
    with httpx.Client() as browser:
        consent = browser.post(url.split("?")[0], data={
            "client_id": query["client_id"][0], "state": query["state"][0],
            "redirect_uri": query["redirect_uri"][0], "decision": "deny"})
    back = urlparse(consent.headers["location"])
    answer = client.get(f"{back.path}?{back.query}")

    assert _back(answer.headers["location"])["reason"] == "access_denied"
    assert api.get(f"/v1/integrations/{created['id']}").json["status"] == "disconnected"
    assert events(app, account.tenant_id, "integration.error") == []


def test_a_wrong_client_secret_puts_bling_in_error(app, api, client, start_erp, account):
    start_erp("bling")
    created = _create_bling(api, client_secret="not-the-app-secret")
    answer = authorize_bling(client, api, created["id"])

    assert _back(answer.headers["location"])["reason"] == "erp_auth_failed"
    shown = api.get(f"/v1/integrations/{created['id']}").json
    assert shown["status"] == "error" and shown["error"]["code"] == "erp_auth_failed"
    assert "not-the-app-secret" not in str(shown)
    (error,) = events(app, account.tenant_id, "integration.error")
    assert list(Draft202012Validator(BY_NAME["integration.error"].schema)
                .iter_errors(error.data)) == []


def test_oauth_start_checks_its_input(api, start_erp):
    start_erp("tiny")
    bling = _create_bling(api)
    tiny = api.post("/v1/integrations", json={"provider": "tiny",
                                              "credentials": CREDENTIALS["tiny"]}).json
    elsewhere = api.post(f"/v1/integrations/{bling['id']}/oauth/start",
                         json={"return_to": "https://evil.example/steal"})
    not_oauth = api.post(f"/v1/integrations/{tiny['id']}/oauth/start")

    assert elsewhere.status_code == 422 and "return_to" in elsewhere.json["error"]["fields"]
    assert not_oauth.status_code == 422
    assert not_oauth.json["error"]["code"] == "oauth_not_supported"
    tokens = api.put(f"/v1/integrations/{bling['id']}",
                     json={"credentials": {"access_token": "typed-by-hand"}})
    assert tokens.status_code == 422
    assert tokens.json["error"]["fields"] == {
        "credentials.access_token": ["Filled in by the OAuth authorization."]}


def test_a_new_bling_app_needs_a_new_authorization(api, client, start_erp):
    start_erp("bling")
    created = _create_bling(api)
    authorize_bling(client, api, created["id"])

    changed = api.put(f"/v1/integrations/{created['id']}",
                      json={"credentials": {"client_id": "another-app",
                                            "client_secret": "--------"}})

    assert changed.status_code == 200
    assert changed.json["status"] == "disconnected"
    assert "access_token" not in changed.json["credentials"]
