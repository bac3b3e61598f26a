"""Tiny API v2 authentication: the account's API token (ERP → Extensões → Token API), sent
with every call; it never expires. (Tiny API v3 uses OAuth and may come later.)"""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk.context import Context
from ..sdk.spec import Auth

SCHEMA = f.document({
    "token": f.text("API token", "Tiny → Configurações → Extensões → Token API.",
                    min_length=8, max_length=200),
}, ["token"], title="Tiny API v2 (token)", secret=("token",))


def test(ctx: Context) -> dict:
    """A bad token raises AuthError (codigo_erro 1/2); an unreachable Tiny, RetryableError."""
    account = ctx.client.call("info.php").get("conta") or {}
    return {"label": account.get("fantasia") or account.get("razao_social") or "Tiny ERP"}


AUTH = Auth(kind="token", schema=SCHEMA, test=test, identity=("token",))
