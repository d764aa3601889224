"""A database-backed job queue: a Job row per unit of work and ``huikuan-web run_worker``
polling for them. No broker, no extra server: SQLite or PostgreSQL is the queue.

A worker claims a job with one conditional UPDATE (``status='queued'`` → ``running``), so two
workers never run the same job. The job functions are plain services, and tests call them
directly as well as through :func:`work_once`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from huikuan.web.models import Job

log = logging.getLogger(__name__)


def _handlers() -> dict[str, Callable[..., None]]:
    from huikuan.web.services.imports import execute_preview
    from huikuan.web.services.runs import execute_run

    return {"run": execute_run, "preview": execute_preview}


def enqueue(kind: str, **args: Any) -> Job:
    """Queue a job; it becomes visible to workers when the surrounding transaction commits."""
    if kind not in _handlers():
        raise ValueError(f"unknown job kind {kind!r}")
    return Job.objects.create(kind=kind, args=args)


def claim_next() -> Job | None:
    """Take the oldest queued job, or None when there is none."""
    for job_id in Job.objects.filter(status="queued").order_by("id").values_list("id", flat=True)[:5]:
        with transaction.atomic():
            taken = Job.objects.filter(pk=job_id, status="queued").update(status="running",
                                                                           started=timezone.now())
        if taken:
            return Job.objects.get(pk=job_id)
    return None


def run_job(job: Job) -> None:
    """Run a claimed job and record how it ended; a failure is stored, not raised."""
    try:
        _handlers()[job.kind](**job.args)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(status="failed", error=str(exc)[:2000], finished=timezone.now())
        return
    Job.objects.filter(pk=job.pk).update(status="done", finished=timezone.now())


def work_once() -> bool:
    """Run one queued job if there is one; True when a job ran."""
    job = claim_next()
    if job is None:
        return False
    run_job(job)
    return True


def work(poll_seconds: float = 0.5, max_jobs: int | None = None, idle_exit: bool = False) -> int:
    """Run jobs until stopped (or ``max_jobs`` ran, or the queue is empty with ``idle_exit``)."""
    done = 0
    while max_jobs is None or done < max_jobs:
        if work_once():
            done += 1
        elif idle_exit:
            break
        else:
            time.sleep(poll_seconds)
    return done
