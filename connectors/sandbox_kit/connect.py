"""Open a connector session against a running sandbox — the OAuth dance included — for tests,
benchmarks and the demo. Dispatches through a table, one opener per ERP."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx

from ..registry import get
from ..sdk.governor import Governor
from ..sdk.session import Session

CALLBACK = "http://127.0.0.1/markethub/oauth/callback"


def authorize_bling(session: Session, sandbox_url: str) -> dict:
    """Walk Bling's authorization page like a seller would: open it, press "Autorizar", follow
    the redirect back with the code, exchange it. Returns the complete credentials."""
    url = session.authorize_url(state="sandbox-state", redirect_uri=CALLBACK)
    with httpx.Client(base_url=sandbox_url) as browser:
        browser.get(url).raise_for_status()
        answer = browser.post(url.split("?")[0], data={
            "client_id": session.credentials["client_id"], "state": "sandbox-state",
            "redirect_uri": CALLBACK, "decision": "allow"})
    query = parse_qs(urlparse(answer.headers["location"]).query)
    return session.exchange_code(query["code"][0], CALLBACK)


def _bling(url: str, config: dict, **options) -> Session:
    from ..bling.sandbox import DEMO_APP
    session = Session(get("bling"), {"client_id": DEMO_APP.client_id,
                                     "client_secret": DEMO_APP.client_secret},
                      config={"base_url": f"{url}/Api/v3",
                              "authorize_url": f"{url}/Api/v3/oauth/authorize", **config},
                      **options)
    authorize_bling(session, url)
    return session


def _omie(url: str, config: dict, **options) -> Session:
    from ..omie.sandbox import DEMO_KEY, DEMO_SECRET
    return Session(get("omie"), {"app_key": DEMO_KEY, "app_secret": DEMO_SECRET},
                   config={"base_url": f"{url}/api/v1", **config}, **options)


def _tiny(url: str, config: dict, **options) -> Session:
    from ..tiny.sandbox import DEMO_TOKEN
    return Session(get("tiny"), {"token": DEMO_TOKEN},
                   config={"base_url": f"{url}/api2", **config}, **options)


OPENERS = {"bling": _bling, "omie": _omie, "tiny": _tiny}


def open_sandbox_session(key: str, sandbox_url: str, config: dict | None = None,
                         governor: Governor | None = None, **options) -> Session:
    """A connected session for `key` against the sandbox at `sandbox_url` (its own governor
    unless one is given, so separate sandboxes never share a budget)."""
    return OPENERS[key](sandbox_url, config or {}, governor=governor or Governor(), **options)
