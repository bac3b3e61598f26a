"""Registers every API blueprint with its rate limits, outside CSRF (the API uses tokens)."""
from __future__ import annotations

import re

from flask import request

from ..db import autocommit_reads
from ..errors import NotFoundError
from ..extensions import limiter
from ..ratelimit import tenant_budget
from .auth.routes import blp as auth_blp
from .catalogue.routes import blp as catalogue_blp
from .customers.routes import blp as customers_blp
from .events.routes import blp as events_blp
from .integrations.oauth_callback import callback_blp
from .integrations.routes import blp as integrations_blp
from .inventory.routes import blp as inventory_blp
from .orders.routes import blp as orders_blp
from .products.routes import blp as products_blp
from .webhooks.routes import blp as webhooks_blp
from .webhooks.routes import deliveries_blp

RESOURCE_BLUEPRINTS = [products_blp, orders_blp, inventory_blp, customers_blp, webhooks_blp,
                       deliveries_blp, events_blp, integrations_blp, catalogue_blp]


_ID_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{1,100}")
_RESOURCE_NAMES = frozenset(blueprint.name for blueprint in RESOURCE_BLUEPRINTS)
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def _check_tenant_budget() -> None:
    if request.blueprint in _RESOURCE_NAMES:
        tenant_budget.check()


@limiter.request_filter  # once, at import: the limiter is shared by every app
def _spends_the_tenant_budget() -> bool:
    """flask-limiter's request filter: these requests have no decorator limits of its own to
    resolve (their budget is the tenant's), so it skips them at once."""
    return request.blueprint in _RESOURCE_NAMES


def _reads_without_transaction() -> None:
    # Writes read in autocommit too (the API key, an Idempotency-Key), but lazily, where they
    # read: a connection taken here would be given back at their write transaction's start.
    if request.method in _SAFE_METHODS and request.blueprint in _RESOURCE_NAMES:
        autocommit_reads()


def _refuse_malformed_ids() -> None:
    """An id in the path with characters no id has is simply not found (a NUL byte would
    otherwise reach PostgreSQL, which refuses it)."""
    if request.blueprint not in _RESOURCE_NAMES:
        return
    for name, value in (request.view_args or {}).items():
        if name.endswith("_id") and not _ID_CHARACTERS.fullmatch(value):
            raise NotFoundError(name.removesuffix("_id"), value[:100])


def register(app, api, csrf) -> None:
    app.before_request(_reads_without_transaction)  # first: the budget's authentication reads
    app.before_request(_check_tenant_budget)
    app.before_request(_refuse_malformed_ids)
    app.after_request(tenant_budget.add_headers)
    csrf.exempt(auth_blp)
    api.register_blueprint(auth_blp)
    for blueprint in RESOURCE_BLUEPRINTS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_blueprint(callback_blp)  # a browser redirect from the ERP, not an API call
