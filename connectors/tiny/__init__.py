"""Tiny ERP (Olist ERP, API v2, token): products, stock and orders."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk.spec import Connector
from .actions import ACTIONS
from .auth import AUTH
from .client import TinyClient
from .syncs import SYNCS
from .triggers import TRIGGERS

CONFIG = f.document({
    "base_url": f.text("API base URL", fmt="uri", default="https://api.tiny.com.br/api2"),
    "calls_per_minute": f.integer("The plan's limit: 30 (Crescer), 60 (Evoluir), 120 "
                                  "(Potencializar)", minimum=1, default=60),
    "rate_margin_seconds": {"type": "number", "minimum": 0, "default": 0.5,
                            "title": "Extra spacing for network jitter"},
    "sync_overlap_seconds": f.integer("Re-read this much before the checkpoint", minimum=0,
                                      default=60),
    "timeout": {"type": "number", "minimum": 1, "default": 30.0, "title": "Seconds per request"},
}, title="Tiny connector configuration")

CONNECTOR = Connector(
    key="tiny", label="Tiny ERP", version="1.0.0",
    description="Tiny ERP (Olist) via API v2: products, stock and orders.",
    auth=AUTH, config_schema=CONFIG, client=TinyClient,
    actions=ACTIONS, triggers=TRIGGERS, syncs=SYNCS)
