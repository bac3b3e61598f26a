"""What the sandbox received, for tests to assert the exact requests a connector sent."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

from flask import Request


def _body(request: Request):
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # parsed already (the stream is consumed), so read the form, not the raw data
        return {key: values if len(values) > 1 else values[0]
                for key, values in request.form.lists()} or None
    data = request.get_data(cache=True)
    if not data:
        return None
    if request.mimetype == "application/json":
        try:
            return json.loads(data)
        except ValueError:
            return data.decode("utf-8", "replace")
    return data.decode("utf-8", "replace")


class CallLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._calls: list[dict] = []

    def record(self, request: Request, status: int) -> None:
        entry = {
            "method": request.method,
            "path": request.path,
            "query": {key: values if len(values) > 1 else values[0]
                      for key, values in request.args.lists()},
            "body": _body(request),
            "status": status,
            "time": datetime.now(timezone.utc).isoformat(),
        }
        with self._lock:
            self._calls.append(entry)

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._calls)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
