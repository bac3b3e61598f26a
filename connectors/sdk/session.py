"""The platform's entry point to a connector: open a session for one ERP account, then test the
credentials, run actions, run syncs and poll triggers.

    session = open_session(connector, credentials, config={"base_url": ...},
                           governor=governor, on_credentials=save_encrypted)
    session.test()                                  -> {"label": "..."}
    session.run("update_stock", {...})              -> output (validated input first)
    run = session.sync("sync_products", since=checkpoint)
    for page in run: upsert(page.records); record(page.errors); save(page.resume)
    checkpoint = run.started_at                     # only after the last page is stored
    session.poll("new_order", inputs, state)        -> PollResult(items, state)
    session.requests                                -> requests put on the wire so far
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

import httpx
from jsonschema import Draft202012Validator, FormatChecker

from .context import Context, CredentialsCallback, utcnow
from .errors import InvalidInputError
from .governor import Governor, default_governor
from .http import Http
from .polling import PollResult, poll
from .spec import Connector, Page, SyncRequest
from .values import iso, parse_iso


def validate(schema: Mapping, value: Any, what: str, hide: Iterable[str] = ()) -> None:
    """Raise InvalidInputError naming every bad field (dotted paths), before any request.
    Messages about fields in `hide` (secrets) never repeat the value."""
    hidden = set(hide)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    problems: dict[str, list[str]] = {}
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(part) for part in error.absolute_path) or "_root"
        secret = bool(error.absolute_path) and error.absolute_path[0] in hidden
        message = f"does not satisfy '{error.validator}'" if secret else error.message
        problems.setdefault(path, []).append(message)
    if problems:
        names = ", ".join(sorted(problems))
        raise InvalidInputError(f"Invalid {what}: {names}.", fields=problems)


def account_key(connector: Connector, credentials: Mapping) -> str:
    """A stable, non-secret key for the ERP account (shares one rate budget)."""
    identity = "|".join(str(credentials.get(name, "")) for name in connector.auth.identity)
    return f"{connector.key}:{hashlib.sha256(identity.encode()).hexdigest()[:16]}"


class SyncRun:
    """An iterable of Pages. `started_at` becomes the checkpoint once every page is stored;
    each page's `resume` restarts the run after that page (same `started_at`)."""

    def __init__(self, session: "Session", sync_key: str, since: datetime | None,
                 resume: Mapping | None):
        self.sync = session.connector.sync(sync_key)
        self._ctx = session.ctx
        resume = dict(resume or {})
        self.started_at = parse_iso(resume.pop("started_at")) if "started_at" in resume \
            else session.ctx.clock()
        if "since" in resume:
            since_text = resume.pop("since")
            since = parse_iso(since_text) if since_text else None
        self.since = since
        self._resume = resume or None

    def __iter__(self) -> Iterator[Page]:
        stamp = {"started_at": iso(self.started_at), "since": iso(self.since)}
        overlap = timedelta(seconds=self._ctx.config.get("sync_overlap_seconds", 0))
        request = SyncRequest(since=None if self.since is None else self.since - overlap,
                              until=self.started_at, resume=self._resume)
        for page in self.sync.run(self._ctx, request):
            yield Page(records=page.records, errors=page.errors, resume={**page.resume, **stamp})


class Session:
    def __init__(self, connector: Connector, credentials: Mapping, *,
                 config: Mapping | None = None, governor: Governor | None = None,
                 on_credentials: CredentialsCallback | None = None, account: str | None = None,
                 http_client: httpx.Client | None = None, clock=utcnow):
        self.connector = connector
        merged_config = {**connector.default_config(), **(config or {})}
        validate(connector.config_schema, merged_config, "configuration")
        validate(connector.auth.schema, dict(credentials), "credentials",
                 hide=connector.auth.secret_fields)
        http = Http(merged_config["base_url"], governor=governor or default_governor(),
                    client=http_client, timeout=httpx.Timeout(merged_config.get("timeout", 30.0),
                                                              connect=5.0))
        self.ctx = Context(connector=connector, credentials=dict(credentials),
                           config=merged_config, http=http,
                           account=account or account_key(connector, credentials),
                           on_credentials=on_credentials, clock=clock)

    @property
    def requests(self) -> int:
        return self.ctx.http.requests

    @property
    def credentials(self) -> dict:
        return dict(self.ctx.credentials)

    def test(self) -> dict:
        return self.connector.auth.test(self.ctx)

    def run(self, action_key: str, inputs: Mapping) -> dict:
        action = self.connector.action(action_key)
        validate(action.input_schema, dict(inputs),
                 f"input for {self.connector.full_key(action_key)}")
        return action.run(self.ctx, dict(inputs))

    def sync(self, sync_key: str, since: datetime | None = None,
             resume: Mapping | None = None) -> SyncRun:
        return SyncRun(self, sync_key, since, resume)

    def poll(self, trigger_key: str, inputs: Mapping | None = None,
             state: Mapping | None = None) -> PollResult:
        trigger = self.connector.trigger(trigger_key)
        inputs = dict(inputs or {})
        validate(trigger.input_schema, inputs, f"input for {self.connector.full_key(trigger_key)}")
        return poll(lambda since: trigger.fetch(self.ctx, inputs, since), trigger.dedupe_key,
                    state, self.ctx.clock())

    def authorize_url(self, state: str, redirect_uri: str | None = None) -> str:
        oauth = self._oauth2()
        return oauth.authorize_url(self.ctx.config, self.ctx.credentials["client_id"], state,
                                   redirect_uri)

    def exchange_code(self, code: str, redirect_uri: str | None = None) -> dict:
        """Trade the authorization code for tokens; they are saved through on_credentials and
        the complete credentials are returned."""
        self._oauth2().exchange_code(self.ctx, code, redirect_uri)
        return self.credentials

    def _oauth2(self):
        if self.connector.auth.oauth2 is None:
            raise InvalidInputError(f"{self.connector.key} does not use OAuth 2.0.",
                                    fields={"_root": ["no OAuth flow"]})
        return self.connector.auth.oauth2

    def close(self) -> None:
        self.ctx.http.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_session(connector: Connector, credentials: Mapping, **options) -> Session:
    return Session(connector, credentials, **options)
