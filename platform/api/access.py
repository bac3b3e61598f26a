"""`requires(scope)`: authenticate, check the scope, and say both in the OpenAPI document."""
from copy import deepcopy

from ..auth.principal import require_scope

ERROR_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
    "429": {"$ref": "#/components/responses/RateLimited"},
}


def requires(scope: str):
    def decorator(view):
        wrapper = require_scope(scope)(view)
        wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = wrapper._apidoc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}, {"oauth2": [scope]}]
        manual.setdefault("responses", {}).update(ERROR_RESPONSES)
        manual["x-required-scope"] = scope
        return wrapper
    return decorator
