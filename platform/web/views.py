"""The hub (Portuguese web console). `web` is the blueprint; each module below adds its pages.

Sign-in and the hub Principal: session_auth.py. Dashboard and pages still under construction:
pages.py (to build one, drop its entry from UNDER_CONSTRUCTION and add a module here).
"""
# Imported for what they register on `web`: routes, error pages and template filters.
from . import audit, errors, formatting, keys, pages, session_auth  # noqa: F401
from . import webhook_deliveries, webhooks  # noqa: F401
from . import integration_log, integration_settings, integration_text, integrations  # noqa: F401
from .blueprint import web

__all__ = ["web"]
