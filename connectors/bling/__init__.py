"""Bling ERP (API v3, OAuth 2.0): products, stock and sales orders."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk.spec import Connector
from .actions import ACTIONS
from .auth import AUTH
from .client import BlingClient
from .syncs import SYNCS
from .triggers import TRIGGERS

CONFIG = f.document({
    "base_url": f.text("API base URL", fmt="uri", default="https://api.bling.com.br/Api/v3"),
    "authorize_url": f.text("OAuth authorization page", fmt="uri",
                            default="https://www.bling.com.br/Api/v3/oauth/authorize"),
    "requests_per_second": f.integer("Bling's per-account limit", minimum=1, default=3),
    "requests_per_day": f.integer("Bling's per-account daily limit", minimum=1, default=120_000),
    "rate_margin_seconds": {"type": "number", "minimum": 0, "default": 0.05,
                            "title": "Extra spacing for network jitter"},
    "page_size": f.integer("Rows per page (Bling's maximum is 100)", minimum=1, maximum=100,
                           default=100),
    "deposit_id": f.integer("Deposit for stock updates (0 = the account's default)",
                            minimum=0, default=0),
    "order_status_map": {"type": "object", "default": {}, "title": "Extra status ids",
                         "additionalProperties": {"enum": ["pending", "paid", "invoiced",
                                                           "shipped", "delivered", "cancelled"]}},
    "sync_overlap_seconds": f.integer("Re-read this much before the checkpoint", minimum=0,
                                      default=60),
    "timeout": {"type": "number", "minimum": 1, "default": 30.0, "title": "Seconds per request"},
}, title="Bling connector configuration")

CONNECTOR = Connector(
    key="bling", label="Bling ERP", version="1.0.0",
    description="Bling ERP via API v3: products, stock and sales orders.",
    auth=AUTH, config_schema=CONFIG, client=BlingClient,
    actions=ACTIONS, triggers=TRIGGERS, syncs=SYNCS)
