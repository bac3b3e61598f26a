"""Driving the hub with Flask's test client: the CSRF token of a page, and a signed-in client."""
from __future__ import annotations

import re
import uuid

from markethub.platform.services import accounts

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def text(response) -> str:
    return response.get_data(as_text=True)


def csrf_from(client, path: str) -> str:
    return CSRF_TOKEN.search(text(client.get(path)))[1]


def signed_in_client(app, account, password: str, name: str = "Ana Lima"):
    """A new test client logged in as a new hub user of `account`'s tenant."""
    email = f"hub-{uuid.uuid4().hex[:10]}@loja.example"
    with app.app_context():
        accounts.create_hub_user(account.tenant_id, email, password, name)
    client = app.test_client()
    login = client.post("/hub/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_from(client, "/hub/login")})
    assert login.status_code == 303
    client.account = account
    return client
