"""The demo tenant that `make run` starts with: hub user, OAuth client, API key."""
from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .models import HubUser, Tenant
from .services import accounts, credentials


def seed(output: Path, tenant_name: str, email: str, password: str) -> dict:
    from .cli import operator

    tenant = db.session.execute(select(Tenant).where(Tenant.name == tenant_name)).scalar()
    if tenant is not None and output.exists():
        return json.loads(output.read_text())
    if tenant is None:
        tenant = accounts.create_tenant(tenant_name, "professional")
    if db.session.execute(select(HubUser).where(HubUser.email == email)).scalar() is None:
        accounts.create_hub_user(tenant.id, email, password, "Demo")
    from .auth.scopes import ALL_SCOPES

    client, client_secret = credentials.create_oauth_client(
        operator(tenant), "Demo OAuth client", list(ALL_SCOPES))
    key, api_key = credentials.create_api_key(operator(tenant), "Demo API key", list(ALL_SCOPES))
    base_url = current_app.config["MH_SETTINGS"].base_url
    data = {
        "hub_url": f"{base_url}/hub/", "docs_url": f"{base_url}/docs",
        "tenant_id": tenant.id, "hub_user": {"email": email, "password": password},
        "oauth_client": {"client_id": client.id, "client_secret": client_secret,
                         "token_url": f"{base_url}/v1/auth/token"},
        "api_key": api_key,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=2))
    output.chmod(0o600)
    return data
