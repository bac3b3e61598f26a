"""The one dedupe helper every polling trigger uses (activepieces polling helper).

State, stored by the platform between polls, is a small JSON object:
    {"cursor": "<ISO start time of the last poll>", "seen": ["<dedupe key>", ...]}

- the cursor is the *start* time of the poll, so nothing that changes while we read is missed;
- the next poll asks the ERP for items since cursor - lookback (clocks and second-resolution
  ERP filters overlap a little) and drops every item whose key is in `seen`;
- the first poll only learns what already exists (returns nothing), so enabling a trigger does
  not replay the ERP's history.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .values import iso, parse_iso

SEEN_LIMIT = 5000
LOOKBACK = timedelta(minutes=2)


@dataclass(frozen=True)
class PollResult:
    items: list[dict]
    state: dict


def content_key(item: Mapping, id_field: str = "external_id") -> str:
    """Dedupe key for `updated_*` triggers: the id plus a digest of the content, so the same
    version is emitted once and every real change is emitted again."""
    digest = hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()
    return f"{item[id_field]}:{digest[:16]}"


def poll(fetch: Callable[[datetime | None], list[dict]], key: Callable[[dict], str],
         state: Mapping | None, now: datetime, *, lookback: timedelta = LOOKBACK) -> PollResult:
    first = not state or not state.get("cursor")
    since = now - lookback if first else parse_iso(state["cursor"]) - lookback
    items = fetch(since)
    seen = [] if first else list(state.get("seen", ()))
    known = set(seen)
    fresh = [] if first else [item for item in items if key(item) not in known]
    for item in items:
        item_key = key(item)
        if item_key not in known:
            known.add(item_key)
            seen.append(item_key)
    return PollResult(items=fresh, state={"cursor": iso(now), "seen": seen[-SEEN_LIMIT:]})
