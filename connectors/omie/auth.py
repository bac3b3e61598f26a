"""Omie authentication: the company's `app_key` and `app_secret`, sent inside every request
body (no tokens, no expiry)."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk.context import Context
from ..sdk.spec import Auth

SCHEMA = f.document({
    "app_key": f.text("App Key", "Omie → Configurações → Aplicativos → chaves de acesso.",
                      min_length=1, max_length=40, pattern=r"^\d+$"),
    "app_secret": f.text("App Secret", min_length=1, max_length=200),
}, ["app_key", "app_secret"], title="Omie (app key + secret)", secret=("app_secret",))


def test(ctx: Context) -> dict:
    """Bad keys raise AuthError (fault Client-101); an unreachable Omie raises RetryableError."""
    data = ctx.client.call("geral/empresas", "ListarEmpresas",
                           {"pagina": 1, "registros_por_pagina": 1})
    companies = data.get("empresas_cadastro") or [{}]
    name = companies[0].get("nome_fantasia") or companies[0].get("razao_social") or "Omie"
    return {"label": name}


AUTH = Auth(kind="app_keys", schema=SCHEMA, test=test, identity=("app_key",))
