"""Omie ERP (JSON RPC, app key + secret): products, stock, sales orders and invoicing."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk.spec import Connector
from .actions import ACTIONS
from .auth import AUTH
from .client import OmieClient
from .syncs import SYNCS
from .triggers import TRIGGERS

CONFIG = f.document({
    "base_url": f.text("API base URL", fmt="uri", default="https://app.omie.com.br/api/v1"),
    "requests_per_minute": f.integer("Omie's limit per account (and IP)", minimum=1, default=960),
    "requests_per_minute_per_method": f.integer("Omie's limit per method", minimum=1,
                                                default=240),
    "concurrent_per_method": f.integer("Requests in flight per method", minimum=1, default=4),
    "redundant_window_seconds": {"type": "number", "minimum": 0, "default": 60.0,
                                 "title": "No identical consulta within this window"},
    "rate_margin_seconds": {"type": "number", "minimum": 0, "default": 0.5,
                            "title": "Extra spacing for network jitter"},
    "page_size": f.integer("Rows per page (Omie allows up to 500)", minimum=1, maximum=500,
                           default=100),
    "sync_overlap_seconds": f.integer("Re-read this much before the checkpoint", minimum=0,
                                      default=60),
    "timeout": {"type": "number", "minimum": 1, "default": 30.0, "title": "Seconds per request"},
}, title="Omie connector configuration")

CONNECTOR = Connector(
    key="omie", label="Omie", version="1.0.0",
    description="Omie ERP: products, stock, sales orders and NF-e invoicing.",
    auth=AUTH, config_schema=CONFIG, client=OmieClient,
    actions=ACTIONS, triggers=TRIGGERS, syncs=SYNCS)
