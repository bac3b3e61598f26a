"""A connector is data: one manifest of auth, actions, triggers and syncs (activepieces
`createPiece`, Zapier app definitions). Keys are forever — `bling.create_order` lives in stored
recipes and published Zapier/Make apps: change behaviour with a new key, never a rename.

Run functions are short and take a `Context` (context.py): credentials, configuration, the
ERP client and the HTTP helper, already wired to the account's rate governor.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .errors import UnknownOperationError

if TYPE_CHECKING:
    from .context import Context

Schema = dict[str, Any]


@dataclass(frozen=True)
class Action:
    """Does one thing in the ERP (`verb_noun`): validated inputs in, a JSON object out."""
    key: str
    label: str
    description: str
    input_schema: Schema
    output_schema: Schema
    sample: dict
    run: Callable[["Context", dict], dict]


@dataclass(frozen=True)
class Trigger:
    """Polls the ERP for `new_<noun>` / `updated_<noun>` items. `fetch(ctx, inputs, since)`
    returns candidate items; the shared dedupe helper (polling.py) keeps only unseen ones, by
    `dedupe_key`. The platform stores the cursor between polls."""
    key: str
    label: str
    description: str
    input_schema: Schema
    output_schema: Schema  # one item
    sample: dict
    fetch: Callable[["Context", dict, Any], list[dict]]
    dedupe_key: Callable[[dict], str]


@dataclass(frozen=True)
class Page:
    """One page of a sync: mapped records, the items that could not be mapped, and the token
    that resumes the run right after this page."""
    records: list[dict]
    errors: list[dict] = field(default_factory=list)
    resume: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SyncRequest:
    """What one sync run covers: changes after `since` (None = everything) up to `until`, the
    run's start time, which becomes the next checkpoint. `resume` restarts after a page."""
    since: datetime | None
    until: datetime
    resume: dict | None = None


@dataclass(frozen=True)
class Sync:
    """Pulls one entity from the ERP, page by page, to the ERP's own end-of-list signal.
    `run(ctx, request)` yields Pages of records shaped by `record_schema`."""
    key: str
    label: str
    description: str
    entity: str
    record_schema: Schema
    sample: dict
    run: Callable[["Context", SyncRequest], Iterator[Page]]


@dataclass(frozen=True)
class OAuth2:
    """The authorization-code dance, for ERPs that need one (Bling).

    authorize_url(config, client_id, state, redirect_uri) -> URL to send the seller's browser to
    exchange_code(ctx, code, redirect_uri) -> new credential fields (tokens, expires_at)
    """
    authorize_url: Callable[[Mapping, str, str, str | None], str]
    exchange_code: Callable[["Context", str, str | None], dict]


@dataclass(frozen=True)
class Auth:
    """What the seller types in (a JSON Schema whose `secret` list names the secret fields),
    plus `test(ctx)`, which tells bad credentials (AuthError) from an unreachable ERP
    (RetryableError) and returns {"label": "..."} naming the connected account."""
    kind: str  # "oauth2" | "app_keys" | "token"
    schema: Schema
    test: Callable[["Context"], dict]
    identity: tuple[str, ...]  # fields that identify the ERP account (rate-governor key)
    oauth2: OAuth2 | None = None

    @property
    def secret_fields(self) -> tuple[str, ...]:
        return tuple(self.schema.get("secret", ()))


@dataclass(frozen=True)
class Connector:
    key: str
    label: str
    description: str
    version: str
    auth: Auth
    config_schema: Schema  # base URL, plan limits... every property has a default
    client: Callable[["Context"], Any]
    actions: tuple[Action, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    syncs: tuple[Sync, ...] = ()

    def action(self, key: str) -> Action:
        return _find(self.actions, key, "action", self.key)

    def trigger(self, key: str) -> Trigger:
        return _find(self.triggers, key, "trigger", self.key)

    def sync(self, key: str) -> Sync:
        return _find(self.syncs, key, "sync", self.key)

    def full_key(self, operation_key: str) -> str:
        return f"{self.key}.{operation_key}"

    def default_config(self) -> dict:
        return {name: prop["default"] for name, prop in self.config_schema["properties"].items()
                if "default" in prop}


def _find(items, key: str, kind: str, connector: str):
    for item in items:
        if item.key == key:
            return item
    known = ", ".join(sorted(i.key for i in items)) or "none"
    raise UnknownOperationError(f"{connector} has no {kind} '{key}' (known: {known}).")
