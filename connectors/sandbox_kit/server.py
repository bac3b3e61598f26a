"""Run a sandbox: in the foreground (`serve`) or on a free port in a background thread
(`BackgroundServer`, for tests and benchmarks), always a real threaded HTTP server."""
from __future__ import annotations

import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    """No access log on stderr (tests and benchmarks read the call log instead)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class BackgroundServer:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True,
                                                   request_handler=QuietHandler)
        self.host = host
        self.port = self._server.server_port
        # A short poll interval: stop() returns quickly (tests start many servers).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name=f"sandbox:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "BackgroundServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(app, host: str, port: int, name: str) -> None:
    server = make_server(host, port, app, threaded=True)
    print(f"{name} sandbox listening on http://{host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
