"""The demo tenant that `make run` starts with: hub user, OAuth client, API key, and ERP
integrations wired to the local sandboxes (`make run` points the ERP base URLs at them):
Omie and Tiny connected with the sandboxes' credentials, Bling ready to connect through the
sandbox's authorization page."""
from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .models import HubUser, Integration, Tenant
from .services import accounts, credentials, integrations


def seed(output: Path, tenant_name: str, email: str, password: str) -> dict:
    from .cli import operator

    tenant = db.session.execute(select(Tenant).where(Tenant.name == tenant_name)).scalar()
    if tenant is not None and output.exists():
        data = json.loads(output.read_text())
        if "integrations" not in data:  # a demo made before the ERP integrations existed
            data.update(seed_integrations(tenant))
            output.write_text(json.dumps(data, indent=2))
        return data
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
        **seed_integrations(tenant),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=2))
    output.chmod(0o600)
    return data


def _demo_integrations() -> list[dict]:
    from markethub.connectors.bling.sandbox import DEMO_APP
    from markethub.connectors.omie.sandbox import DEMO_KEY, DEMO_SECRET
    from markethub.connectors.tiny.sandbox import DEMO_TOKEN

    return [
        {"provider": "omie", "name": "Omie (sandbox)", "sync_mode": "automatic",
         "credentials": {"app_key": DEMO_KEY, "app_secret": DEMO_SECRET}},
        {"provider": "tiny", "name": "Tiny (sandbox)", "sync_mode": "manual",
         "credentials": {"token": DEMO_TOKEN}},
        {"provider": "bling", "name": "Bling (sandbox)", "sync_mode": "manual",
         "credentials": {"client_id": DEMO_APP.client_id,
                         "client_secret": DEMO_APP.client_secret}},
    ]


def seed_integrations(tenant: Tenant) -> dict:
    """Once per tenant. The sandboxes need not be running yet: their fixed credentials are
    stored as known-good (Omie, Tiny: connected); Bling waits for its OAuth authorization."""
    from .cli import operator

    settings = current_app.config["MH_SETTINGS"]
    existing = db.session.execute(select(Integration).where(
        Integration.tenant_id == tenant.id, Integration.deleted_at.is_(None))).scalars().all()
    if not existing:
        existing = [integrations.create_integration(operator(tenant), settings, data,
                                                    verify=False)
                    for data in _demo_integrations()]
    return {
        "erp_sandboxes": {"bling": settings.bling_base_url, "omie": settings.omie_base_url,
                          "tiny": settings.tiny_base_url},
        "integrations": [{"id": row.id, "provider": row.provider, "status": row.status}
                         for row in existing],
    }
