"""`markethub worker`: the worker processes, one pool per kind of work.

- webhooks: an rq SimpleWorker (no fork per job) on the `webhooks` and `events` queues, with the
  app pushed once, one long-lived Pump, and the sweeper thread. Forking per job would cap us at
  ~20 deliveries/s (see ARCHITECTURE "Queue and outbound HTTP").
- jobs: rq's forking Worker with the scheduler, for sync and recipe jobs (long, isolated).

`markethub worker` runs both (`webhook_processes` delivery processes + one jobs process) under a
small supervisor; `--pool webhooks|jobs` runs one pool in this process (to scale them apart).
"""
from __future__ import annotations

from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.serializers import JSONSerializer

from ..settings import Settings

WEBHOOK_QUEUES = ("webhooks", "events")
JOB_QUEUES = ("sync", "recipes", "default")


def redis_connection(redis_url: str) -> Redis:
    return Redis.from_url(redis_url)


def queue(name: str, redis_url: str) -> Queue:
    return Queue(name, connection=redis_connection(redis_url), serializer=JSONSerializer)


def _queues(names, connection: Redis) -> list[Queue]:
    return [Queue(name, connection=connection, serializer=JSONSerializer) for name in names]


def run_webhooks_pool(settings: Settings, burst: bool = False) -> None:
    from ..app import create_app
    from ..events.sweeper import Sweeper, sweep_once
    from . import webhooks  # imported here, in the worker, so jobs start without imports

    app = create_app(settings)
    connection = redis_connection(settings.redis_url)
    with app.app_context():
        sweeper = Sweeper(app)
        if burst:
            sweep_once(app)  # queue a pump for whatever the database holds, then drain
        else:
            sweeper.start()
        worker = SimpleWorker(_queues(WEBHOOK_QUEUES, connection), connection=connection,
                              serializer=JSONSerializer)
        try:
            worker.work(burst=burst, logging_level=settings.log_level)
        finally:
            sweeper.stop()
            webhooks.close_pumps()


def run_jobs_pool(settings: Settings, burst: bool = False) -> None:
    connection = redis_connection(settings.redis_url)
    worker = Worker(_queues(JOB_QUEUES, connection), connection=connection,
                    serializer=JSONSerializer)
    worker.work(with_scheduler=True, burst=burst, logging_level=settings.log_level)


def run_worker(settings: Settings, pool: str = "all", burst: bool = False) -> None:
    if pool == "webhooks":
        run_webhooks_pool(settings, burst)
    elif pool == "jobs":
        run_jobs_pool(settings, burst)
    else:
        from .supervisor import supervise

        supervise([("jobs", 1), ("webhooks", settings.webhook_processes)], burst)
