"""OAuth 2.0 client credentials (RFC 6749 §4.4) at /v1/auth/token and refresh rotation."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from markethub.platform.auth import secrets
from markethub.platform.auth.jwt_tokens import issue_access_token
from markethub.platform.extensions import db
from markethub.platform.models import RefreshToken
from markethub.platform.services import credentials

TOKEN = "/v1/auth/token"
REFRESH = "/v1/auth/refresh"


@pytest.fixture
def oauth(make_oauth_client, account):
    return make_oauth_client(account, ["products:read", "products:write", "orders:read"])


def _token(client, oauth, **form):
    return client.post(TOKEN, data={"grant_type": "client_credentials", **form},
                       headers=oauth.basic())


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_basic_auth_gets_a_standard_token_response(client, oauth):
    response = _token(client, oauth)

    assert response.status_code == 200, response.json
    body = response.json
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["refresh_token"].startswith("mhrt_")
    assert set(body["scope"].split()) == {"products:read", "products:write", "orders:read"}
    assert body["access_token"].count(".") == 2  # a JWT
    assert response.headers["Cache-Control"] == "no-store"  # RFC 6749 §5.1


def test_client_can_authenticate_with_form_body(client, oauth):
    response = client.post(TOKEN, data={"grant_type": "client_credentials",
                                        "client_id": oauth.client_id,
                                        "client_secret": oauth.secret})

    assert response.status_code == 200, response.json
    assert client.get("/v1/products", headers=_bearer(response.json["access_token"])
                      ).status_code == 200


def test_access_token_works_on_the_api_for_its_own_tenant(client, oauth, api):
    created = api.post("/v1/products", json={"sku": "JWT-1", "name": "Caneca", "price": "10"})
    token = _token(client, oauth).json["access_token"]

    listed = client.get("/v1/products", headers=_bearer(token))

    assert listed.status_code == 200
    assert [p["id"] for p in listed.json["data"]] == [created.json["id"]]


def test_subset_of_scopes_limits_the_token(client, oauth):
    response = _token(client, oauth, scope="products:read")

    assert response.json["scope"] == "products:read"
    headers = _bearer(response.json["access_token"])
    assert client.get("/v1/products", headers=headers).status_code == 200
    refused = client.post("/v1/products", headers=headers,
                          json={"sku": "X", "name": "X", "price": "1.00"})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "insufficient_scope"


@pytest.mark.parametrize("scope", ["customers:read", "products:read customers:write", "admin"])
def test_scope_the_client_lacks_is_invalid_scope(client, oauth, scope):
    response = _token(client, oauth, scope=scope)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"
    assert "access_token" not in response.json


def test_wrong_secret_is_invalid_client(client, oauth):
    response = client.post(TOKEN, data={"grant_type": "client_credentials"},
                           headers=oauth.basic(secret="mhcs_wrong"))

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"
    assert "access_token" not in response.json


def test_wrong_secret_in_form_body_is_also_401(client, oauth):
    response = client.post(TOKEN, data={"grant_type": "client_credentials",
                                        "client_id": oauth.client_id, "client_secret": "mhcs_x"})

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


def test_unknown_client_is_invalid_client(client):
    response = client.post(TOKEN, data={"grant_type": "client_credentials",
                                        "client_id": "cli_nobody", "client_secret": "x"})

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


@pytest.mark.parametrize("client_id", ["cli_\x00", "cli_" + "x" * 300, "cli_💥"])
def test_odd_client_ids_are_invalid_client(client, client_id):
    form = client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": client_id,
                                    "client_secret": "x"})
    basic = client.post(REFRESH, data={"refresh_token": "mhrt_x"}, headers={
        "Authorization": "Basic " + base64.b64encode(f"{client_id}:x".encode()).decode()})

    assert (form.status_code, form.json["error"]) == (401, "invalid_client")
    assert (basic.status_code, basic.json["error"]) == (401, "invalid_client")


@pytest.mark.parametrize("body", [{"json": {"grant_type": "client_credentials"}}, {},
                                  {"data": b"\xff\xfe=\x00",
                                   "content_type": "application/x-www-form-urlencoded"}])
def test_token_endpoint_wants_a_form_body(client, body):
    response = client.post(TOKEN, **body)

    assert response.status_code == 400
    assert response.json["error"] in ("invalid_request", "unsupported_grant_type")


def test_no_client_credentials_is_invalid_client(client):
    response = client.post(TOKEN, data={"grant_type": "client_credentials"})

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "urn:made:up"])
def test_unknown_grant_is_unsupported_grant_type(client, oauth, grant_type):
    response = client.post(TOKEN, data={"grant_type": grant_type}, headers=oauth.basic())

    assert response.status_code == 400
    assert response.json["error"] == "unsupported_grant_type"


def test_revoked_client_cannot_get_tokens_and_its_tokens_stop(client, app, account, oauth):
    token = _token(client, oauth).json["access_token"]
    with app.app_context():
        credentials.revoke_oauth_client(account.principal(), oauth.client_id)

    refused = _token(client, oauth)
    assert refused.status_code == 401
    assert refused.json["error"] == "invalid_client"
    rejected = client.get("/v1/products", headers=_bearer(token))
    assert rejected.status_code == 401
    assert rejected.json["error"]["code"] == "invalid_token"


def _issue(app, oauth, ttl_seconds: int, scope="products:read") -> str:
    secret = app.config["MH_SETTINGS"].jwt_secret
    return issue_access_token(secret, tenant_id=oauth.tenant_id, client_id=oauth.client_id,
                              scope=scope, ttl_seconds=ttl_seconds)


def test_a_freshly_issued_jwt_is_accepted(client, app, oauth):
    assert client.get("/v1/products", headers=_bearer(_issue(app, oauth, 60))).status_code == 200


def test_expired_jwt_is_401_with_www_authenticate(client, app, oauth):
    response = client.get("/v1/products", headers=_bearer(_issue(app, oauth, -10)))

    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def _tamper(token: str, part: int) -> str:
    pieces = token.split(".")
    middle = len(pieces[part]) // 2
    flipped = "A" if pieces[part][middle] != "A" else "B"
    pieces[part] = pieces[part][:middle] + flipped + pieces[part][middle + 1:]
    return ".".join(pieces)


@pytest.mark.parametrize("part", [1, 2], ids=["claims", "signature"])
def test_tampered_jwt_is_401(client, app, oauth, part):
    response = client.get("/v1/products", headers=_bearer(_tamper(_issue(app, oauth, 60), part)))

    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"
    assert "WWW-Authenticate" in response.headers


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_unsigned_alg_none_jwt_is_401(client, app, oauth):
    claims = json.loads(base64.urlsafe_b64decode(_issue(app, oauth, 60).split(".")[1] + "=="))
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    assert client.get("/v1/products", headers=_bearer(forged)).status_code == 401


def test_jwt_signed_with_another_secret_is_401(client, oauth):
    forged = issue_access_token("some-other-secret-that-is-long-enough-000", scope="products:read",
                                tenant_id=oauth.tenant_id, client_id=oauth.client_id,
                                ttl_seconds=60)

    assert client.get("/v1/products", headers=_bearer(forged)).status_code == 401


def _refresh(client, oauth, refresh_token):
    return client.post(REFRESH, data={"refresh_token": refresh_token}, headers=oauth.basic())


def test_refresh_gives_a_new_working_pair(client, oauth):
    first = _token(client, oauth, scope="products:read").json

    second = _refresh(client, oauth, first["refresh_token"])

    assert second.status_code == 200, second.json
    assert second.json["refresh_token"] != first["refresh_token"]
    assert second.json["access_token"] != first["access_token"]
    assert second.json["scope"] == "products:read"
    assert client.get("/v1/products", headers=_bearer(second.json["access_token"])
                      ).status_code == 200


def test_refresh_also_works_through_the_token_endpoint(client, oauth):
    first = _token(client, oauth).json

    second = client.post(TOKEN, data={"grant_type": "refresh_token",
                                      "refresh_token": first["refresh_token"]},
                         headers=oauth.basic())

    assert second.status_code == 200, second.json


def test_refresh_tokens_rotate_the_old_one_fails(client, oauth):
    first = _token(client, oauth).json
    assert _refresh(client, oauth, first["refresh_token"]).status_code == 200

    again = _refresh(client, oauth, first["refresh_token"])

    assert again.status_code == 400
    assert again.json["error"] == "invalid_grant"


def test_reusing_a_rotated_token_revokes_the_family(client, oauth):
    first = _token(client, oauth).json
    second = _refresh(client, oauth, first["refresh_token"]).json
    third = _refresh(client, oauth, second["refresh_token"]).json

    assert _refresh(client, oauth, first["refresh_token"]).status_code == 400  # stolen replay

    newest = _refresh(client, oauth, third["refresh_token"])
    assert newest.status_code == 400
    assert newest.json["error"] == "invalid_grant"


def test_reuse_revokes_only_that_family(client, oauth):
    victim = _token(client, oauth).json
    bystander = _token(client, oauth).json
    _refresh(client, oauth, victim["refresh_token"])
    _refresh(client, oauth, victim["refresh_token"])  # reuse: revokes the victim's family

    assert _refresh(client, oauth, bystander["refresh_token"]).status_code == 200


def test_refresh_token_of_another_client_is_refused(client, oauth, make_oauth_client, account):
    thief = make_oauth_client(account, ["products:read"])
    stolen = _token(client, oauth).json["refresh_token"]

    response = _refresh(client, thief, stolen)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"


def test_unknown_refresh_token_is_invalid_grant(client, oauth):
    response = _refresh(client, oauth, "mhrt_not-a-real-token")

    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"


def test_refresh_tokens_are_stored_hashed(client, app, oauth):
    issued = _token(client, oauth).json["refresh_token"]
    rotated = _refresh(client, oauth, issued).json["refresh_token"]

    with app.app_context():
        rows = db.session.execute(select(RefreshToken).where(
            RefreshToken.client_id == oauth.client_id)).scalars().all()
        stored = [str(getattr(row, column.key)) for row in rows
                  for column in RefreshToken.__table__.columns]
    assert len(rows) == 2
    assert not any(issued in value or rotated in value for value in stored)
    assert {row.token_hash for row in rows} == {secrets.digest(issued), secrets.digest(rotated)}


def test_refresh_cannot_widen_the_scope(client, oauth):
    narrow = _token(client, oauth, scope="products:read").json

    response = client.post(REFRESH, data={"refresh_token": narrow["refresh_token"],
                                          "scope": "products:read products:write"},
                           headers=oauth.basic())

    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"


def test_expired_refresh_token_is_invalid_grant(client, app, oauth):
    issued = _token(client, oauth).json["refresh_token"]
    with app.app_context():
        db.session.execute(update(RefreshToken).where(
            RefreshToken.token_hash == secrets.digest(issued)).values(
            expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
        db.session.commit()

    response = _refresh(client, oauth, issued)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"


def test_refresh_after_the_client_is_revoked_fails(client, app, account, oauth):
    issued = _token(client, oauth).json["refresh_token"]
    with app.app_context():
        credentials.revoke_oauth_client(account.principal(), oauth.client_id)

    response = _refresh(client, oauth, issued)

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"
