"""Redis only carries the work: RQ jobs that name a sync run or "run the due pushes". The
database is the truth, so a lost enqueue is found again by the scheduler's tick.

A sync job's id is `sync-<integration id>` and is enqueued with `unique=True`: one integration
never has two sync jobs at once (the database adds its own guard: one active run).
"""
from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from ..events.wakeup import redis_connection
from ..settings import Settings

log = logging.getLogger("markethub.integrations")

SYNC_QUEUE = "sync"
PUSH_QUEUE = "recipes"  # reactions are the integration's own recipes (ARCHITECTURE, data flow 2)
SYNC_JOB = "markethub.platform.jobs.sync.sync_integration"
PUSH_JOB = "markethub.platform.jobs.sync.run_pushes"
PUSH_JOB_ID = "integration-pushes"
DONE = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def _queue(settings: Settings, name: str) -> Queue:
    return Queue(name, connection=redis_connection(settings.redis_url), serializer=JSONSerializer)


def _enqueue_unique(queue: Queue, job_id: str, function: str, args: list, *,
                    replace: bool, **options) -> bool:
    """True if this call queued the job. An existing job with the same id is kept while it is
    waiting or running on the same arguments, unless `replace` (its worker is known dead)."""
    for _ in range(2):
        try:
            queue.enqueue(function, *args, job_id=job_id, unique=True, result_ttl=0, **options)
            return True
        except DuplicateJobError:
            try:
                job = Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer)
            except NoSuchJobError:
                continue  # it just finished
            if not replace and job.get_status() not in DONE and list(job.args) == args:
                return False
            job.delete()
    return False


def enqueue_sync(settings: Settings, integration_id: str, run_id: str,
                 replace: bool = False) -> bool:
    """Best effort: False (logged) when Redis is down; the tick queues it again later."""
    try:
        return _enqueue_unique(
            _queue(settings, SYNC_QUEUE), f"sync-{integration_id}", SYNC_JOB, [run_id],
            replace=replace, job_timeout=settings.erp_sync_job_timeout_seconds,
            failure_ttl=86_400, description=f"sync run {run_id}")
    except RedisError:
        log.warning("could not queue sync run %s; the scheduler will", run_id, exc_info=True)
        return False


def enqueue_pushes(settings: Settings) -> bool:
    try:
        return _enqueue_unique(_queue(settings, PUSH_QUEUE), PUSH_JOB_ID, PUSH_JOB, [],
                               replace=False, job_timeout=600, failure_ttl=86_400,
                               description="integrations: run the due pushes to ERPs")
    except RedisError:
        log.warning("could not queue the ERP pushes job; the scheduler will", exc_info=True)
        return False
