"""Fast settings for the engine, and worker processes started with the same settings."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

FAST_SETTINGS = {
    "outbound_allowed_networks": ["127.0.0.1/32"],  # the receiver; everything else stays refused
    "webhook_retry_schedule_seconds": [0.2, 0.2, 0.2, 0.2],
    "webhook_retry_jitter": 0.0,
    "webhook_timeout_seconds": 2.0,
    "webhook_lease_margin_seconds": 1.0,
    "webhook_sweep_interval_seconds": 0.2,
}


def settings_env(settings) -> dict:
    """The environment that gives a worker process the same database, Redis and settings."""
    return {"DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
            "MARKETHUB_ENV": "test", "MARKETHUB_LOG_LEVEL": "WARNING",
            **{f"MARKETHUB_{name.upper()}": json.dumps(value) if isinstance(value, list)
               else str(value) for name, value in FAST_SETTINGS.items()}}


MARKETHUB = Path(sys.executable).parent / "markethub"


def start_worker(settings, log_path: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, **settings_env(settings), "MARKETHUB_WEBHOOK_CONCURRENCY": "4"}
    with open(log_path, "ab") as log:
        return subprocess.Popen([str(MARKETHUB), "worker", *args], env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
