"""The RQ worker process: job modules are imported here, in the parent, so forked jobs start fast."""
from __future__ import annotations

from redis import Redis
from rq import Queue, Worker
from rq.serializers import JSONSerializer

QUEUES = ("events", "webhooks", "sync", "recipes", "default")


def redis_connection(redis_url: str) -> Redis:
    return Redis.from_url(redis_url)


def queue(name: str, redis_url: str) -> Queue:
    return Queue(name, connection=redis_connection(redis_url), serializer=JSONSerializer)


def run_worker(redis_url: str, queues=QUEUES, burst: bool = False) -> None:
    connection = redis_connection(redis_url)
    worker = Worker([Queue(name, connection=connection, serializer=JSONSerializer)
                     for name in queues], connection=connection, serializer=JSONSerializer)
    worker.work(with_scheduler=True, burst=burst)
