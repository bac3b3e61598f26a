"""The hub (Portuguese web console). `web` is the blueprint; each module below adds its pages.

Sign-in and the hub Principal: session_auth.py. Dashboard and pages still under construction:
pages.py (to build one, drop its entry from UNDER_CONSTRUCTION and add a module here).
"""
from . import audit, errors, keys, pages, session_auth  # noqa: F401  (they register routes)
from .blueprint import web

__all__ = ["web"]
