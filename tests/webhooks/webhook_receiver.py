"""A real HTTP receiver on 127.0.0.1 (werkzeug, in a thread) that records what it gets and
answers as a test scripts it: per path, a queue of answers, then the default."""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Answer:
    status: int = 200
    body: str = "ok"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise
        self.requests: list[Received] = []
        self.scripts: dict[str, list[Answer]] = {}
        self.defaults: dict[str, Answer] = {}
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def script(self, path: str, *answers: Answer, default: Answer | None = None) -> None:
        with self.lock:
            self.scripts[path] = list(answers)
            if default:
                self.defaults[path] = default

    def received(self, path: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if path is None or r.path == path]

    def wait_for(self, count: int, path: str | None = None, timeout: float = 10) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received(path)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received(path)

    @Request.application
    def _app(self, request: Request) -> Response:
        with self.lock:
            self.requests.append(Received(request.path, {k.lower(): v for k, v in
                                                         request.headers.items()},
                                          request.get_data(), time.time()))
            queue = self.scripts.get(request.path) or []
            answer = queue.pop(0) if queue else self.defaults.get(request.path, Answer())
        if answer.delay:
            time.sleep(answer.delay)
        return Response(answer.body, status=answer.status, headers=answer.headers)

    def close(self) -> None:
        self.server.shutdown()
